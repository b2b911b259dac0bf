"""Municipalities per region for generated sample publications: the indeling of 1 January 2021
(illustrative: a few municipalities are missing). Other quarters follow from it through the
reorganisation table (`xlkp/reorganisations.csv`), see `municipalities_on`."""

from __future__ import annotations

from datetime import date

from ..regions import normalise
from ..reorganisations import table

BASE_DATE = date(2021, 1, 1)

MUNICIPALITIES: dict[str, tuple[str, ...]] = {
    "Groningen": ("Groningen", "Het Hogeland", "Westerkwartier", "Midden-Groningen", "Eemsdelta",
                  "Oldambt", "Pekela", "Stadskanaal", "Veendam", "Westerwolde"),
    "Friesland": ("Leeuwarden", "Súdwest-Fryslân", "De Fryske Marren", "Heerenveen",
                  "Smallingerland", "Tytsjerksteradiel", "Noardeast-Fryslân", "Waadhoeke",
                  "Harlingen", "Ooststellingwerf", "Weststellingwerf", "Opsterland",
                  "Achtkarspelen", "Dantumadiel", "Terschelling", "Vlieland", "Ameland",
                  "Schiermonnikoog"),
    "Drenthe": ("Assen", "Emmen", "Hoogeveen", "Meppel", "Coevorden", "Midden-Drenthe",
                "Aa en Hunze", "Borger-Odoorn", "Tynaarlo", "Noordenveld", "De Wolden", "Westerveld"),
    "Regio Zwolle": ("Zwolle", "Kampen", "Dronten", "Hardenberg", "Ommen", "Dalfsen", "Staphorst",
                     "Steenwijkerland", "Zwartewaterland", "Hattem", "Heerde", "Oldebroek", "Raalte",
                     "Elburg", "Noordoostpolder", "Urk"),
    "Twente": ("Enschede", "Hengelo", "Almelo", "Borne", "Dinkelland", "Haaksbergen", "Hellendoorn",
               "Hof van Twente", "Losser", "Oldenzaal", "Rijssen-Holten", "Tubbergen", "Twenterand",
               "Wierden"),
    "Stedendriehoek en Noordwest Veluwe": ("Apeldoorn", "Deventer", "Zutphen", "Lochem", "Brummen",
                                           "Voorst", "Epe", "Ermelo", "Harderwijk", "Nunspeet",
                                           "Putten"),
    "FoodValley": ("Ede", "Barneveld", "Wageningen", "Veenendaal", "Rhenen", "Renswoude",
                   "Scherpenzeel", "Nijkerk"),
    "Midden-Gelderland": ("Arnhem", "Renkum", "Rheden", "Rozendaal", "Doesburg", "Duiven",
                          "Westervoort", "Zevenaar", "Lingewaard", "Overbetuwe"),
    "Achterhoek": ("Aalten", "Berkelland", "Bronckhorst", "Doetinchem", "Montferland", "Oost Gelre",
                   "Oude IJsselstreek", "Winterswijk"),
    "Rijk van Nijmegen": ("Nijmegen", "Berg en Dal", "Beuningen", "Druten", "Heumen",
                          "Mook en Middelaar", "Wijchen"),
    "Rivierenland": ("Tiel", "Culemborg", "Buren", "Maasdriel", "West Betuwe", "West Maas en Waal",
                     "Zaltbommel", "Neder-Betuwe"),
    "Midden-Utrecht": ("Utrecht", "Nieuwegein", "Houten", "IJsselstein", "De Bilt", "Zeist",
                       "Stichtse Vecht", "Woerden", "Lopik", "Montfoort", "Oudewater",
                       "De Ronde Venen", "Bunnik", "Wijk bij Duurstede",
                       "Utrechtse Heuvelrug"),
    "Amersfoort": ("Amersfoort", "Baarn", "Bunschoten", "Leusden", "Soest", "Woudenberg"),
    "Flevoland": ("Almere", "Lelystad", "Zeewolde"),
    "Gooi en Vechtstreek": ("Hilversum", "Gooise Meren", "Huizen", "Blaricum", "Laren",
                            "Wijdemeren", "Eemnes", "Weesp"),
    "Noord-Holland Noord": ("Alkmaar", "Bergen NH", "Castricum", "Den Helder", "Drechterland",
                            "Enkhuizen", "Heerhugowaard", "Heiloo", "Hollands Kroon", "Hoorn",
                            "Koggenland", "Langedijk", "Medemblik", "Opmeer", "Schagen",
                            "Stede Broec", " Texel", "Uitgeest"),
    "Zuid-Kennemerland en IJmond": ("Haarlem", "Zandvoort", "Bloemendaal", "Heemstede", "Velsen",
                                    "Beverwijk", "Heemskerk"),
    "Groot Amsterdam": ("Amsterdam", "Amstelveen", "Aalsmeer", "Diemen", "Haarlemmermeer",
                        "Ouder-Amstel", "Uithoorn"),
    "Zaanstreek/Waterland": ("Zaanstad", "Purmerend", "Edam-Volendam", "Landsmeer", "Oostzaan",
                             "Waterland", "Wormerland", "Beemster"),
    "Zuid-Holland Centraal": ("Zoetermeer", "Pijnacker-Nootdorp"),
    "Haaglanden": ("'s-Gravenhage", "Delft", "Rijswijk", "Westland", "Midden-Delfland",
                   "Leidschendam-Voorburg", "Wassenaar"),
    "Midden-Holland": ("Gouda", "Bodegraven-Reeuwijk", "Waddinxveen", "Zuidplas", "Krimpenerwaard"),
    "Holland Rijnland": ("Leiden", "Leiderdorp", "Oegstgeest", "Katwijk", "Noordwijk", "Teylingen",
                         "Lisse", "Hillegom", "Kaag en Braassem", "Nieuwkoop",
                         "Alphen aan den Rijn", "Zoeterwoude"),
    "Rijnmond": ("Rotterdam", "Schiedam", "Vlaardingen", "Maassluis", "Capelle aan den IJssel",
                 "Krimpen aan den IJssel", "Lansingerland", "Barendrecht", "Ridderkerk",
                 "Albrandswaard", "Nissewaard", "Hellevoetsluis", "Brielle", "Westvoorne",
                 "Goeree-Overflakkee", "Hoeksche Waard"),
    "Drechtsteden": ("Dordrecht", "Zwijndrecht", "Papendrecht", "Sliedrecht",
                     "Hendrik-Ido-Ambacht", "Alblasserdam", "Hardinxveld-Giessendam"),
    "Gorinchem": ("Gorinchem", "Molenlanden", "Vijfheerenlanden"),
    "Zeeland": ("Middelburg", "Vlissingen", "Goes", "Terneuzen", "Hulst", "Sluis",
                "Schouwen-Duiveland", "Veere", "Borsele", "Kapelle", "Reimerswaal",
                "Noord-Beveland", "Tholen"),
    "West-Brabant": ("Breda", "Roosendaal", "Bergen op Zoom", "Etten-Leur", "Oosterhout", "Moerdijk",
                     "Halderberge", "Drimmelen", "Geertruidenberg", "Zundert", "Rucphen",
                     "Woensdrecht", "Steenbergen", "Alphen-Chaam", "Baarle-Nassau", "Altena"),
    "Midden-Brabant": ("Tilburg", "Waalwijk", "Dongen", "Gilze en Rijen", "Goirle", "Hilvarenbeek",
                       "Loon op Zand", "Oisterwijk"),
    "Noordoost-Brabant": ("'s-Hertogenbosch", "Oss", "Meierijstad", "Bernheze", "Boxtel", "Heusden",
                          "Landerd", "Uden", "Sint-Michielsgestel", "Vught", "Boekel",
                          "Boxmeer", "Cuijk", "Grave", "Mill en Sint Hubert", "Sint Anthonis"),
    "Helmond-De Peel": ("Helmond", "Deurne", "Gemert-Bakel", "Laarbeek", "Asten", "Someren"),
    "Zuidoost-Brabant": ("Eindhoven", "Veldhoven", "Best", "Son en Breugel",
                         "Nuenen, Gerwen en Nederwetten", "Geldrop-Mierlo", "Heeze-Leende",
                         "Cranendonck", "Valkenswaard", "Waalre", "Bergeijk", "Eersel", "Bladel",
                         "Reusel-De Mierden", "Oirschot"),
    "Noord-Limburg": ("Venlo", "Venray", "Horst aan de Maas", "Peel en Maas", "Beesel",
                      "Bergen (L.)", "Gennep"),
    "Midden-Limburg": ("Roermond", "Weert", "Leudal", "Maasgouw", "Roerdalen", "Echt-Susteren",
                       "Nederweert"),
    "Zuid-Limburg": ("Maastricht", "Heerlen", "Sittard-Geleen", "Kerkrade", "Landgraaf", "Brunssum",
                     "Stein", "Beek", "Eijsden-Margraten", "Gulpen-Wittem",
                     "Valkenburg aan de Geul", "Meerssen", "Vaals", "Voerendaal", "Simpelveld",
                     "Beekdaelen"),
}


def municipalities_on(day: date) -> dict[str, list[str]]:
    """The municipalities of each region on `day`: the 2021 lists with the reorganisations since
    applied, or those after `day` undone (a predecessor comes back in its `region_before`)."""
    regions = {region: list(names) for region, names in MUNICIPALITIES.items()}
    transfers = table().transfers
    for transfer in transfers:  # forward, oldest first
        if BASE_DATE < transfer.effective <= day:
            _move(regions, transfer.predecessor, None)
            if not any(normalise(n) == normalise(transfer.successor) for ns in regions.values() for n in ns):
                regions[transfer.region_after].append(transfer.successor)
    for transfer in reversed(transfers):  # backward, newest first
        if day < transfer.effective <= BASE_DATE:
            if not transfer.continues:
                new = not any(
                    t.continues and t.successor == transfer.successor and t.effective == transfer.effective
                    for t in transfers
                )
                if new:
                    _move(regions, transfer.successor, None)
            _move(regions, transfer.predecessor, transfer.region_before)
    return regions


def _move(regions: dict[str, list[str]], name: str, to: str | None) -> None:
    """Take `name` out of whichever region lists it, and put it in `to` (unless None)."""
    key = normalise(name)
    for names in regions.values():
        names[:] = [n for n in names if normalise(n) != key]
    if to is not None:
        regions[to].append(name)


# The real figures of Noord-Holland Noord, first quarter 2021 (the seed page).
SEED_2021_Q1 = {
    "Alkmaar": (114, 388, 844, 144), "Bergen NH": (26, 30, 102, 26), "Castricum": (18, 41, 120, 21),
    "Den Helder": (7, 342, 476, 140), "Drechterland": (15, 25, 97, 31),
    "Enkhuizen": (18, 85, 178, 40), "Heerhugowaard": (37, 140, 399, 79),
    "Heiloo": (12, 42, 107, 19), "Hollands Kroon": (2, 89, 197, 56), "Hoorn": (92, 306, 646, 121),
    "Koggenland": (15, 45, 96, 26), "Langedijk": (10, 44, 119, 28), "Medemblik": (41, 98, 261, 61),
    "Opmeer": (12, 17, 54, 15), "Schagen": (1, 64, 172, 70), "Stede Broec": (31, 41, 156, 47),
    " Texel": (0, 14, 50, 28), "Uitgeest": (5, 28, 61, 11),
}
SEED_2021_Q1_REGISTER = 10187
