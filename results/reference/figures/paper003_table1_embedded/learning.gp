# Drawn by nmfbench plot; edit and run `gnuplot learning.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "learning.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper003_table1_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit d7d6d6fd94af" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title "Training (solid) and validation (dashed) loss"
set xlabel 'step'
set ylabel 'loss'
set key outside right font ',8'
plot "learning.dat" index 0 using 1:2 with lines lw 1 lc 1 title "dr_nmf layers=2 epochs=100", \
     "learning.dat" index 1 using 1:2 with linespoints lw 2 dt 2 pt 7 ps 0.5 lc 1 notitle, \
     "learning.dat" index 2 using 1:2 with lines lw 1 lc 1 title "dr_nmf layers=5 epochs=100", \
     "learning.dat" index 3 using 1:2 with linespoints lw 2 dt 2 pt 7 ps 0.5 lc 1 notitle, \
     "learning.dat" index 4 using 1:2 with lines lw 1 lc 2 title "lstm", \
     "learning.dat" index 5 using 1:2 with linespoints lw 2 dt 2 pt 7 ps 0.5 lc 2 notitle
