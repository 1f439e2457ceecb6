"""Streamlit page sections. Only this package and ``app.py`` import Streamlit."""
