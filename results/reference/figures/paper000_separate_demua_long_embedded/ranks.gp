# Drawn by nmfbench plot; edit and run `gnuplot ranks.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "ranks.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper000_separate_demua_long_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit 8e5746c11e89" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title ""
set multiplot layout 2,2 title "Median final metric against train_steps, bars from q1 to q3"
set xlabel "train_steps"
set key inside bottom right font ',8'
set xrange [-7.5:157.5]
set xtics (0, 150)
set title "SDR [dB]"
set ylabel "SDR [dB]"
plot "ranks.dat" index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 1 title "t", \
     "ranks.dat" index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 2 title "ggd", \
     "ranks.dat" index 2 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 3 title "nn", \
     "ranks.dat" index 3 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 4 title "nn-from-t"
unset key
set title "SIR [dB]"
set ylabel "SIR [dB]"
plot "ranks.dat" index 4 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 1 title "t", \
     "ranks.dat" index 5 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 2 title "ggd", \
     "ranks.dat" index 6 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 3 title "nn", \
     "ranks.dat" index 7 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 4 title "nn-from-t"
unset key
set title "SAR [dB]"
set ylabel "SAR [dB]"
plot "ranks.dat" index 8 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 1 title "t", \
     "ranks.dat" index 9 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 2 title "ggd", \
     "ranks.dat" index 10 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 3 title "nn", \
     "ranks.dat" index 11 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 4 title "nn-from-t"
unset key
unset multiplot
