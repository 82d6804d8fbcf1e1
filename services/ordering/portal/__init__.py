"""Portal pages of ordering: the catalogue, the order builder with its live quote, orders and
subscriptions on an agency host (agency admins); the fulfilment queue on the central host
(service desk and platform admins). Every write goes through services/ordering/actions.py or
fulfilment.py."""
