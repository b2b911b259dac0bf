"""What the user reads: decided once (the layout), then written as text, to a file or into Excel."""

# A cell whose text starts with one of these is read by Excel as a formula; text from a PDF is
# data and must be kept from becoming one, however it is written.
FORMULA_START = ("=", "+", "-", "@")
