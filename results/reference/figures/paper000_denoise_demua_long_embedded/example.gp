# Drawn by nmfbench plot; edit and run `gnuplot example.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "example.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper000_denoise_demua_long_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit c35de54992f7" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title ""
unset title
unset key
unset grid
set autoscale fix
set palette defined (0 '#000004', 1 '#3b0f70', 2 '#8c2981', 3 '#de4968', 4 '#fe9f6d', 5 '#fcfdbf')
set tics out font ',8'
set title font ',9'
set multiplot layout 2,3 title "cell nn-from-t train_steps=300|A|lick01|d0|i0"
set xlabel 'time [s]'
set ylabel 'frequency [kHz]'
set cblabel 'dB'
set cbrange [-36:44]
set title 'mixture'
plot "example.dat" index 0 nonuniform matrix using 1:($2 / 1000):3 with image
set xlabel 'component'
set xtics 10
set cbrange [-64:-4]
set title 'bases W'
plot "example.dat" index 1 nonuniform matrix using 1:($2 / 1000):3 with image
unset arrow
set xtics autofreq
set xlabel 'time [s]'
set ylabel 'component'
set cbrange [-25:35]
set title 'activations H'
plot "example.dat" index 2 nonuniform matrix using 1:2:3 with image
set xlabel 'time [s]'
set ylabel 'frequency [kHz]'
set cblabel 'dB'
set cbrange [-36:44]
set title "reference"
plot "example.dat" index 3 nonuniform matrix using 1:($2 / 1000):3 with image
set title "estimate (SI-SDRi 4.9 dB)"
plot "example.dat" index 4 nonuniform matrix using 1:($2 / 1000):3 with image
set multiplot next
unset multiplot
