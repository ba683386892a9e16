"""Names, places and products of the fictitious demo wholesaler (``portfolio.demo``).

Every text must fit Windows-1252: the demo CSV is written in it, as Dutch packages do.
"""

SECTORS = (
    "Bakkerij", "Banketbakkerij", "Slagerij", "Café", "Eetcafé", "Restaurant", "Brasserie",
    "Bistro", "Hotel", "Lunchroom", "Cateringbedrijf", "Snackbar", "Frituur", "IJssalon",
    "Delicatessen", "Traiteur", "Kaashandel", "Partycentrum", "Strandpaviljoen",
    "Sportkantine", "Zorgcentrum", "Kinderopvang", "Bedrijfsrestaurant", "Pizzeria",
)  # fmt: skip
SURNAMES = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
    "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
    "Smits", "de Graaf", "van der Meer", "van den Berg", "Kok", "de Haan", "Vermeulen",
    "van Wijk", "Schouten", "Peeters", "Janssens", "Maes", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Van Damme", "Öztürk", "Çelik", "Lefèvre", "Dubois",
)  # fmt: skip
SUFFIXES = ("", "", " B.V.", " B.V.", " B.V.", " V.O.F.", " & Zn.", " BV", " BVBA", " NV")
SPECIAL_NAMES = (
    "Bakkerij Één", 'Café "De Gouden Leeuw"', "Jansen & Zonen; Horeca", "Crème de la Crème",
    "Eetcafé 't Hoekje", "Brasserie Dupré & Fils", "Hôtel-Restaurant Beau Séjour",
    'Lunchroom "Ça va"; Gent', "Müller Großhandel GmbH", "Frituur Öztürk & Zn.",
)  # fmt: skip
CITIES = (
    ("Amsterdam", 8), ("Rotterdam", 7), ("Den Haag", 5), ("Utrecht", 5), ("Eindhoven", 4),
    ("Groningen", 3), ("Tilburg", 3), ("Almere", 2), ("Breda", 4), ("Nijmegen", 3),
    ("Arnhem", 3), ("Haarlem", 3), ("Zwolle", 2), ("'s-Hertogenbosch", 3), ("Leiden", 2),
    ("Maastricht", 2), ("Leeuwarden", 2), ("Amersfoort", 2), ("Enschede", 2), ("Antwerpen", 4),
    ("Gent", 3), ("Brugge", 2), ("Leuven", 2), ("Mechelen", 1), ("Hasselt", 1), ("Kortrijk", 1),
    ("Sint-Niklaas", 1),
)  # fmt: skip
# (article, list price euro, purchase price as a fraction of list price, popularity)
PRODUCTS = (
    ("Koffiebonen espresso 1 kg", 18.5, 0.62, 9), ("Thee assortiment 100 st.", 9.8, 0.55, 5),
    ("Suikerzakjes 1000 st.", 14.2, 0.70, 4), ("Halfvolle melk 12 x 1 l", 13.9, 0.80, 8),
    ("Slagroom 35% 2 l", 9.4, 0.74, 6), ("Roomboter 40 x 250 g", 96.0, 0.82, 4),
    ("Bloem tarwe 25 kg", 21.5, 0.72, 4), ("Frituurvet 10 l", 28.9, 0.77, 5),
    ("Friet 10 mm 4 x 2,5 kg", 19.8, 0.70, 7), ("Kipfilet 2,5 kg", 27.5, 0.76, 5),
    ("Rundergehakt 5 kg", 42.0, 0.78, 4), ("Kaas jong belegen 4,5 kg", 46.8, 0.71, 5),
    ("Crème fraîche 5 l", 24.6, 0.66, 3), ("Olijfolie extra vierge 5 l", 44.9, 0.64, 3),
    ("Tomaten in blik 2,5 kg", 6.2, 0.58, 3), ("Pasta penne 5 kg", 11.4, 0.57, 3),
    ("Cola 24 x 33 cl", 16.8, 0.74, 8), ("Mineraalwater 24 x 50 cl", 9.6, 0.60, 6),
    ("Pils fust 20 l", 79.0, 0.70, 5), ("Huiswijn rood 6 x 75 cl", 29.4, 0.55, 4),
    ("Servetten 33 x 33 cm (1000)", 17.9, 0.48, 3), ('Pizzadoos 12" (100 st.)', 21.0, 0.52, 2),
    ("Afhaalbakjes 750 ml (300)", 34.5, 0.54, 3), ("Vaatwastabletten 200 st.", 38.9, 0.50, 3),
    ("Allesreiniger 5 l", 12.3, 0.45, 3), ("Handschoenen nitril M (100)", 7.9, 0.47, 3),
    ("Keukenrol 6 rollen", 15.6, 0.55, 3), ("Koffiebekers 180 ml (1000)", 42.0, 0.56, 2),
    ("Onderhoud espressomachine", 145.0, 0.35, 1), ("Huur koelcel per maand", 210.0, 0.45, 1),
    ("Bezorgkosten", 12.5, 0.90, 2), ("Statiegeld kratten", 3.9, 1.0, 2),
)  # fmt: skip
