"""Read the documents units already have (a filled 自评表, a bureau's 评分表) into unit data and frameworks."""
