"""Portal pages of the cost split: finance's pages on the central host (`central`, `keys`,
`reports`, `exports`) and an agency admin's costs and statements on its host (`agency`)."""
