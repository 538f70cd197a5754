# Drawn by nmfbench plot; edit and run `gnuplot example.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "example.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper003_table1_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit d7d6d6fd94af" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title ""
unset title
unset key
unset grid
set autoscale fix
set palette defined (0 '#000004', 1 '#3b0f70', 2 '#8c2981', 3 '#de4968', 4 '#fe9f6d', 5 '#fcfdbf')
set tics out font ',8'
set title font ',9'
set multiplot layout 2,4 title "cell ista|dev|m6dB/talker07/u1|d0|i0"
set xlabel 'time [s]'
set ylabel 'frequency [kHz]'
set cblabel 'dB'
set cbrange [-42:38]
set title 'mixture'
plot "example.dat" index 0 nonuniform matrix using 1:($2 / 1000):3 with image
set xlabel 'component'
set xtics 25
set cbrange [-60:-0]
set title 'bases W'
set arrow 1 from 50.5, graph 0 to 50.5, graph 1 nohead front lc rgb 'white' lw 2
plot "example.dat" index 1 nonuniform matrix using 1:($2 / 1000):3 with image
unset arrow
set xtics autofreq
set xlabel 'time [s]'
set ylabel 'component'
set cbrange [-46:14]
set title 'activations H'
plot "example.dat" index 2 nonuniform matrix using 1:2:3 with image
set multiplot next
set xlabel 'time [s]'
set ylabel 'frequency [kHz]'
set cblabel 'dB'
set cbrange [-42:38]
set title "source 1 reference"
plot "example.dat" index 3 nonuniform matrix using 1:($2 / 1000):3 with image
set title "source 1 estimate (SI-SDRi 0.0656 dB)"
plot "example.dat" index 4 nonuniform matrix using 1:($2 / 1000):3 with image
set title "source 2 reference"
plot "example.dat" index 5 nonuniform matrix using 1:($2 / 1000):3 with image
set title "source 2 estimate (SI-SDRi -14.7 dB)"
plot "example.dat" index 6 nonuniform matrix using 1:($2 / 1000):3 with image
unset multiplot
