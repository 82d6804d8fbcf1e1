"""The service desk's own tools, shared by central IT's agents (home: public): canned answers
(text modules in Swedish and English) and each agent's saved views of the queue."""
