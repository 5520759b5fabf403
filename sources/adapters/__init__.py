"""One adapter per source format. Each sniffs a file's content and reads it into a raw frame."""
