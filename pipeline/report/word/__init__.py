"""report/word"""
