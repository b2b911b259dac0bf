"""Building workbook/Klantprofielen.xlsm from source."""
