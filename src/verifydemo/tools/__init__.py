"""What the entry points and the page share, with no Streamlit: the classroom's room
(certificate, QR code, teacher code) and the docs' figures (``verifydemo report``)."""
