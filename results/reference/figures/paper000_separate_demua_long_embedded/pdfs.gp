# Drawn by nmfbench plot; edit and run `gnuplot pdfs.gp` in this folder to redraw.
set terminal pngcairo size 900,540 font 'Sans,10'
set output "pdfs.png"
set encoding utf8
set termoption noenhanced
set key outside right top
set grid
set label 100 "spec paper000_separate_demua_long_embedded | data: embedded stand-in (synthetic, not the real corpus) | commit 8e5746c11e89" at screen 0.01, screen 0.015 font ',8'
set bmargin 5
set title "Learned log-PDFs (eq. 13)"
set logscale x
set xlabel '|y| (yhat = 1)'
set ylabel 'log p(y)'
set yrange [-25:*]
plot "pdfs.dat" index 0 using 1:2 with lines lw 2 lc 1 dt 2 title "t train_steps=0", \
     "pdfs.dat" index 1 using 1:2 with lines lw 2 lc 1 dt 1 title "t train_steps=150", \
     "pdfs.dat" index 2 using 1:2 with lines lw 2 lc 2 dt 2 title "ggd train_steps=0", \
     "pdfs.dat" index 3 using 1:2 with lines lw 2 lc 2 dt 1 title "ggd train_steps=150", \
     "pdfs.dat" index 4 using 1:2 with lines lw 2 lc 3 dt 2 title "nn train_steps=0", \
     "pdfs.dat" index 5 using 1:2 with lines lw 2 lc 3 dt 1 title "nn train_steps=150", \
     "pdfs.dat" index 6 using 1:2 with lines lw 2 lc 4 dt 2 title "nn-from-t train_steps=0", \
     "pdfs.dat" index 7 using 1:2 with lines lw 2 lc 4 dt 1 title "nn-from-t train_steps=150", \
     "pdfs.dat" index 0 using 1:3 with lines lw 2 lc rgb 'black' dt 3 title 'Gaussian'
