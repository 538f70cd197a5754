# Drawn by nmfbench plot; edit and run `gnuplot curves.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "curves.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper002_fig2_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit 4561a4df0496" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title "SI-SDR improvement against iterations"
set multiplot layout 1,1
set xlabel 'iteration'
set ylabel 'SI-SDR improvement [dB]'
set title "split set1"
set key inside right bottom font ',8' opaque box
plot "curves.dat" index 0 using 1:2 with lines lw 2 lc 1 dt 1 title "nmf components=20", \
     "curves.dat" index 1 using 1:2 with lines lw 2 lc 1 dt 1 title "nmf components=100", \
     "curves.dat" index 2 using 1:2 with lines lw 2 lc 2 dt 1 title "nae components=20", \
     "curves.dat" index 3 using 1:2 with lines lw 2 lc 2 dt 1 title "nae components=100", \
     "curves.dat" index 4 using 1:2 with lines lw 2 lc 3 dt 1 title "deep_nae components=20", \
     "curves.dat" index 5 using 1:2 with lines lw 2 lc 3 dt 1 title "deep_nae components=100"
unset multiplot
