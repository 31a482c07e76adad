"""The postcodes of the 19 Brussels communes, by their INS code (``ref:INS``), pure data.

A postcode can cover parts of two communes (1040: Etterbeek and the City of
Brussels' European quarter; 1050: Ixelles and Avenue Louise). The extract's
own ``addr:postcode`` tags add to this table when the index is built.
"""

from __future__ import annotations

POSTCODES_BY_INS: dict[str, tuple[str, ...]] = {
    "21001": ("1070",), "21002": ("1160",), "21003": ("1082",),
    "21004": ("1000", "1020", "1120", "1130", "1040", "1050"),
    "21005": ("1040",), "21006": ("1140",), "21007": ("1190",), "21008": ("1083",),
    "21009": ("1050",), "21010": ("1090",), "21011": ("1081",), "21012": ("1080",),
    "21013": ("1060",), "21014": ("1210",), "21015": ("1030",), "21016": ("1180",),
    "21017": ("1170",), "21018": ("1200",), "21019": ("1150",),
}
