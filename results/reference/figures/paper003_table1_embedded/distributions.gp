# Drawn by nmfbench plot; edit and run `gnuplot distributions.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "distributions.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper003_table1_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit d7d6d6fd94af" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title "Final SI-SDR improvement per example, draw and initialisation"
unset key
set style data boxplot
set style boxplot outliers pointtype 7
set style fill solid 0.3 border -1
set ylabel 'SI-SDR improvement [dB]'
set xtics rotate by -30 ("snmf" 0, "ista" 1, "dr_nmf layers=2 epochs=0" 2, "dr_nmf layers=2 epochs=100" 3, "dr_nmf layers=5 epochs=0" 4, "dr_nmf layers=5 epochs=100" 5, "lstm" 6)
set bmargin 9
set xrange [-0.6:6.6]
plot "distributions.dat" using (0):($1 == 0 ? $2 : NaN) with boxplot lc 1, \
     "distributions.dat" using (1):($1 == 1 ? $2 : NaN) with boxplot lc 2, \
     "distributions.dat" using (2):($1 == 2 ? $2 : NaN) with boxplot lc 3, \
     "distributions.dat" using (3):($1 == 3 ? $2 : NaN) with boxplot lc 3, \
     "distributions.dat" using (4):($1 == 4 ? $2 : NaN) with boxplot lc 3, \
     "distributions.dat" using (5):($1 == 5 ? $2 : NaN) with boxplot lc 3, \
     "distributions.dat" using (6):($1 == 6 ? $2 : NaN) with boxplot lc 4
