"""What the page teaches with: degradations, capture scenarios, lookalikes, scale."""
