"""The bilingual demo data set: a company with KA, SMB, presales, service, finance and middle office,
iron-triangle people, and customer trees such as a telecom group with provincial and city companies.

Everything is made through the services, exactly as people would make it; later steps add their
records (contacts, opportunities, contracts) in their own modules.
"""
