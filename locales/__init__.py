"""Interface text in the reader's language: the catalogues and the functions that read them."""
