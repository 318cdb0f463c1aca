# Amounts in dinars are printed with a decimal point, as the Corporation prints them
# (Django's Arabic default is a decimal comma, which reads as a thousands separator here).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
