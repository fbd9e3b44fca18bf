"""torchlike.linalg"""
