"""What the user reads: decided once (the layout), then written as text, to a file or into Excel."""
