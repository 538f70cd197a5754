# Drawn by nmfbench plot; edit and run `gnuplot curves.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "curves.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper003_table1_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit d7d6d6fd94af" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title "SI-SDR improvement against iterations"
set multiplot layout 1,2
set xlabel 'iteration'
set ylabel 'SI-SDR improvement [dB]'
set title "split dev"
set key inside right bottom font ',8' opaque box
plot "curves.dat" index 0 using 1:2 with lines lw 2 lc 1 dt 2 title "snmf", \
     "curves.dat" index 1 using 1:2 with lines lw 2 lc 2 dt 2 title "ista", \
     "curves.dat" index 2 using 1:2 with lines lw 2 lc 3 dt 2 title "dr_nmf layers=2 epochs=0", \
     "curves.dat" index 3 using 1:2 with lines lw 2 lc 3 dt 1 title "dr_nmf layers=2 epochs=100", \
     "curves.dat" index 4 using 1:2 with lines lw 2 lc 3 dt 2 title "dr_nmf layers=5 epochs=0", \
     "curves.dat" index 5 using 1:2 with lines lw 2 lc 3 dt 1 title "dr_nmf layers=5 epochs=100", \
     "curves.dat" index 6 using 1:2 with lines lw 2 lc 4 dt 1 title "lstm"
set title "split test"
unset key
plot "curves.dat" index 7 using 1:2 with lines lw 2 lc 1 dt 2 title "snmf", \
     "curves.dat" index 8 using 1:2 with lines lw 2 lc 2 dt 2 title "ista", \
     "curves.dat" index 9 using 1:2 with lines lw 2 lc 3 dt 2 title "dr_nmf layers=2 epochs=0", \
     "curves.dat" index 10 using 1:2 with lines lw 2 lc 3 dt 1 title "dr_nmf layers=2 epochs=100", \
     "curves.dat" index 11 using 1:2 with lines lw 2 lc 3 dt 2 title "dr_nmf layers=5 epochs=0", \
     "curves.dat" index 12 using 1:2 with lines lw 2 lc 3 dt 1 title "dr_nmf layers=5 epochs=100", \
     "curves.dat" index 13 using 1:2 with lines lw 2 lc 4 dt 1 title "lstm"
unset multiplot
