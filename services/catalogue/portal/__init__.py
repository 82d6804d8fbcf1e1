"""Portal pages of the shared catalogue (central host): services, offerings, prices and
agreements. Every form posts through services/catalogue/actions/."""
