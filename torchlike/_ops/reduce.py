"""placeholder"""
__all__ = []
METHODS = []
INPLACE = []
