"""Small framework-free helpers shared by several apps."""
