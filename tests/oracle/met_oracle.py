#!/usr/bin/env python3
"""An independent implementation of what sp_met and sp_disperse compute from the weather,
written from the published methods, not from the C code. It writes the expected values
the unit test tests/unit/test_met_oracle.c checks the library against:

- the sun's altitude from the Astronomical Almanac's low-precision solar coordinates (mean
  longitude and anomaly, ecliptic longitude, obliquity, Greenwich mean sidereal time;
  accurate to ~0.01 degree for 1950-2050), NOT Spencer's (1971) Fourier series the
  library uses: the two agree to the series' accuracy (~0.1 degree), and a wrong sign,
  offset or longitude term in either shows as degrees;
- Pasquill classes from Turner's (1964) table as published (insolation strong, moderate,
  slight; night cloud >= 4/8 or <= 3/8), with the rules the library states for its gaps:
  a half class (A-B, B-C, C-D) is the more stable one; below 2 m/s at night F (clear) or
  E (overcast); insolation from the altitude: strong > 60, moderate 35-60, slight 15-35
  degrees, below 15 neutral D;
- Briggs' urban sigma_z (Gifford 1976, as tabled in Boubel, Fox, Turner & Stern,
  Fundamentals of Air Pollution, 3rd ed., table 19-6): A-B 0.24x(1+0.001x)^0.5, C 0.20x,
  D 0.14x(1+0.0003x)^-0.5, E-F 0.08x(1+0.0015x)^-0.5;
- the ISC3 urban wind-profile exponents A-F 0.15, 0.15, 0.20, 0.25, 0.30, 0.30 (EPA-454/
  B-95-003b vol. II section 1.1.3; recalled, not re-read here: an assumption until checked).
Rows: kind,a,b,c,d,e,f,expected. Usage: met_oracle.py > tests/unit/met_oracle.csv"""
import math

def julian_day(y, m, d, hour_ut):
    if m <= 2:
        y, m = y - 1, m + 12
    a = y // 100
    b = 2 - a + a // 4
    return int(365.25 * (y + 4716)) + int(30.6001 * (m + 1)) + d + b - 1524.5 + hour_ut / 24

def altitude(y, m, d, hour_local, utc_offset, lat, lon):
    n = julian_day(y, m, d, hour_local - utc_offset) - 2451545.0
    L = math.radians((280.460 + 0.9856474 * n) % 360)
    g = math.radians((357.528 + 0.9856003 * n) % 360)
    lam = L + math.radians(1.915) * math.sin(g) + math.radians(0.020) * math.sin(2 * g)
    eps = math.radians(23.439 - 0.0000004 * n)
    ra = math.atan2(math.cos(eps) * math.sin(lam), math.cos(lam))
    dec = math.asin(math.sin(eps) * math.sin(lam))
    gmst = (18.697374558 + 24.06570982441908 * n) % 24
    h = math.radians(gmst * 15 + lon) - ra
    phi = math.radians(lat)
    return math.degrees(math.asin(math.sin(phi) * math.sin(dec) +
                                  math.cos(phi) * math.cos(dec) * math.cos(h)))

# Turner's table: rows < 2, 2-3, 3-5, 5-6, > 6 m/s
DAY = [["A", "A-B", "B"], ["A-B", "B", "C"], ["B", "B-C", "C"], ["C", "C-D", "D"], ["C", "D", "D"]]
NIGHT = [[None, None], ["E", "F"], ["D", "E"], ["D", "D"], ["D", "D"]]  # overcast, clear

def stability(u, alt, cloud):
    row = 0 if u < 2 else 1 if u < 3 else 2 if u < 5 else 3 if u < 6 else 4
    if alt > 0:
        if alt <= 15:
            cls = "D"
        else:
            cls = DAY[row][0 if alt > 60 else 1 if alt > 35 else 2]
        cls = cls[-1]  # a half class: the more stable one
    else:
        overcast = cloud >= 4
        cls = NIGHT[row][0 if overcast else 1] or ("E" if overcast else "F")
    return "ABCDEF".index(cls)

def sigma_z(k, x):
    if k <= 1:
        return 0.24 * x * (1 + 0.001 * x) ** 0.5
    if k == 2:
        return 0.20 * x
    if k == 3:
        return 0.14 * x * (1 + 0.0003 * x) ** -0.5
    return 0.08 * x * (1 + 0.0015 * x) ** -0.5

P = [0.15, 0.15, 0.20, 0.25, 0.30, 0.30]

print("kind,a,b,c,d,e,f,expected")
dates = [(2016, 1, 1), (2016, 2, 29), (2016, 3, 20), (2016, 6, 21), (2016, 9, 22), (2016, 12, 21),
         (2015, 7, 15), (2020, 11, 5)]
for y, m, d in dates:  # Beijing, UTC+8, every hour
    for h in range(24):
        print(f"alt,{y},{m},{d},{h},39.92,116.44,{altitude(y, m, d, h, 8, 39.92, 116.44):.6f}")
for y, m, d, lat, lon, off in ((2016, 6, 21, 23.13, 113.26, 8), (2016, 12, 21, 45.75, 126.65, 8)):
    for h in range(24):  # Guangzhou and Harbin: another latitude and longitude
        print(f"alt,{y},{m},{d},{h},{lat},{lon},{altitude(y, m, d, h, off, lat, lon):.6f}")
speeds = [0.5, 1.99, 2.0, 2.99, 3.0, 4.99, 5.0, 5.99, 6.0, 9.0]
alts = [-30, -0.01, 0.01, 14.99, 15.01, 34.99, 35.01, 59.99, 60.01, 80]
for u in speeds:
    for a in alts:
        for c in (0, 3, 4, 8):
            print(f"stab,{u},{a},{c},0,0,0,{stability(u, a, c)}")
for k in range(6):
    for x in (10, 100, 500, 1000, 3000, 10000, 30000):
        print(f"sz,{k},{x},0,0,0,0,{sigma_z(k, x):.17g}")
    for z in (2, 10, 10.5, 30, 100, 300):
        print(f"wind,{k},3,{z},0,0,0,{3 * (z / 10) ** P[k] if z > 10 else 3:.17g}")
