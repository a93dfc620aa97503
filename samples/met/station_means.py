#!/usr/bin/env python3
"""The observed annual means of the three UCI stations of 2016 (samples/met/*_2016.csv),
written as the station table sp-disperse -eval reads: samples/stations_2016.csv. Each
mean is over the hours with a value; the table says how many hours that is. The station
coordinates are the municipal network's published list (3 decimals, datum taken as WGS84),
as the shared data's README gives them. Usage: station_means.py > samples/stations_2016.csv"""
import csv, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
STATIONS = [  # id, file, lon, lat, role
    ("Nongzhanguan", "nongzhanguan_2016.csv", 116.461, 39.937, "urban"),
    ("Aotizhongxin", "aotizhongxin_2016.csv", 116.397, 39.982, "urban"),
    ("Dingling", "dingling_2016.csv", 116.220, 40.292, "background"),
]
POLS = ["PM2.5", "PM10", "NO2"]

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["station", "lon", "lat", "role"] + [p.replace(".", "").lower() + "_obs" for p in POLS]
           + [p.replace(".", "").lower() + "_hours" for p in POLS])
for sid, fname, lon, lat, role in STATIONS:
    sums, ns = {p: 0.0 for p in POLS}, {p: 0 for p in POLS}
    with open(os.path.join(HERE, fname), newline="") as f:
        for row in csv.DictReader(f):
            for p in POLS:
                if row[p] not in ("", "NA"):
                    sums[p] += float(row[p])
                    ns[p] += 1
    w.writerow([sid, lon, lat, role] + ["%.3f" % (sums[p] / ns[p]) for p in POLS]
               + [ns[p] for p in POLS])
