"""Establishment programmes: defense orders (edef.*), nursery care (nursery.*), Ri'aya with the King
Hussein Cancer Foundation (est.riaya-khcf), Hafez (hafez.*) and entrepreneurial establishments
(startup.*). Declared on the e-service engine from establishments/apps.py ready()."""
