# Drawn by nmfbench plot; edit and run `gnuplot paired.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "paired.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper003_table1_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit d7d6d6fd94af" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title ""
unset key
set bmargin 4
set style fill solid 0.7 border lc rgb 'gray30'
set xtics nomirror font ',7' ("snmf\n| ista" 1, "snmf\n| dr_nmf layers=2 epochs=0" 2, "snmf\n| dr_nmf layers=2 epochs=100" 3, "snmf\n| dr_nmf layers=5 epochs=0" 4, "snmf\n| dr_nmf layers=5 epochs=100" 5, "snmf\n| lstm" 6)
set xrange [0.4:6.6]
set multiplot layout 2,2 title "Final metrics per example: each pair's first method left (pink), second right (blue); medians solid, quartiles dashed"
set title "SDR [dB]"
plot "paired.dat" index 0 using (1 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 1 using (1 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 2 using (2 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 3 using (2 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 4 using (3 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 5 using (3 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 6 using (4 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 7 using (4 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 8 using (5 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 9 using (5 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 10 using (6 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 11 using (6 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 12 using 1:4:($2 * $7):(0) with vectors nohead lw 3 lc rgb 'black', \
     "paired.dat" index 12 using 1:3:($2 * $6):(0) with vectors nohead lw 1 dt 2 lc rgb 'black', \
     "paired.dat" index 12 using 1:5:($2 * $8):(0) with vectors nohead lw 1 dt 2 lc rgb 'black'
set title "SIR [dB]"
plot "paired.dat" index 13 using (1 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 14 using (1 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 15 using (2 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 16 using (2 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 17 using (3 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 18 using (3 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 19 using (4 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 20 using (4 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 21 using (5 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 22 using (5 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 23 using (6 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 24 using (6 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 25 using 1:4:($2 * $7):(0) with vectors nohead lw 3 lc rgb 'black', \
     "paired.dat" index 25 using 1:3:($2 * $6):(0) with vectors nohead lw 1 dt 2 lc rgb 'black', \
     "paired.dat" index 25 using 1:5:($2 * $8):(0) with vectors nohead lw 1 dt 2 lc rgb 'black'
set title "SAR [dB]"
plot "paired.dat" index 26 using (1 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 27 using (1 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 28 using (2 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 29 using (2 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 30 using (3 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 31 using (3 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 32 using (4 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 33 using (4 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 34 using (5 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 35 using (5 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 36 using (6 - $2):1 with filledcurves closed fc rgb '#e8a0bf', \
     "paired.dat" index 37 using (6 + $2):1 with filledcurves closed fc rgb '#8fb8e0', \
     "paired.dat" index 38 using 1:4:($2 * $7):(0) with vectors nohead lw 3 lc rgb 'black', \
     "paired.dat" index 38 using 1:3:($2 * $6):(0) with vectors nohead lw 1 dt 2 lc rgb 'black', \
     "paired.dat" index 38 using 1:5:($2 * $8):(0) with vectors nohead lw 1 dt 2 lc rgb 'black'
unset multiplot
