"""The upload page through AppTest: a real export is read, checked, remapped and saved."""

from app.imports import file_head
from portfolio import connect, read_invoice_lines
from portfolio.formatting import money, number, percent
from tests.app.conftest import DATA, open_page, shown

HEADER = "Klant;Factuurdatum;Bedrag excl. btw;Netto\r\n"


def upload(at, data: bytes, name: str = "verkoop.csv", key: str = "up_lines"):
    at.file_uploader(key=key).upload(name, data, "text/csv")
    at.run()
    assert not at.exception, at.exception
    return at


def figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_an_uploaded_export_is_checked_saved_and_shown(app):
    before = figures(app)["Omzet"]  # the demo, as the app opened on it
    at = open_page(app, "upload")
    upload(at, (DATA / "demo_verkoopregels.csv").read_bytes(), "demo_verkoopregels.csv")
    assert figures(at)["Regels gelezen"] == number(43675, "nl")
    assert figures(at)["Afgekeurd"] == "0"
    at.text_input(key="dataset_name").set_value("Eigen export").run()
    at.button[-1].click().run()  # "Opslaan en tonen"
    assert not at.exception
    assert at.selectbox(key="dataset").value == "Eigen export"
    assert figures(at)["Omzet"] == before  # same lines, so the same revenue
    assert any("Eigen export" in c.value for c in at.caption)


def test_rejected_rows_are_counted_and_listed_with_their_reason(app):
    at = open_page(app, "upload")
    text = HEADER + "A;01-03-2025;12,50;1\r\nB;01-03-2025;twaalf;1\r\nC;31-02-2025;5,00;1\r\n"
    upload(at, text.encode("cp1252"))
    assert (figures(at)["Gebruikt"], figures(at)["Afgekeurd"]) == ("1", "2")
    reasons = at.dataframe[1].value  # preview, reasons, rejected rows
    assert reasons["Aantal"].sum() == 2
    rejected = at.dataframe[2].value
    assert list(rejected["rij"]) == [3, 4]
    assert list(rejected["waarde"]) == ["twaalf", "31-02-2025"]


def test_choosing_another_amount_column_reads_the_file_again(app):
    at = open_page(app, "upload")
    upload(at, (HEADER + "A;01-03-2025;12,50;99,00\r\n").encode("cp1252"))
    assert shown(at.dataframe[0].value["Bedrag excl. btw"].iloc[0]) == "€\u00a012,50"
    at.selectbox(key="lines_map_amount").set_value("Netto")
    at.button[0].click().run()  # the settings form's "read again"
    assert not at.exception
    assert shown(at.dataframe[0].value["Bedrag excl. btw"].iloc[0]) == "€\u00a099,00"


def test_a_file_that_is_no_export_gets_one_plain_message(app):
    at = open_page(app, "upload")
    upload(at, bytes(range(256)) * 50, "kapot.csv")
    assert len(at.error) == 1
    assert "kapot.csv" in shown(at.error[0].value)
    assert not at.metric  # nothing to save


def test_the_saved_dataset_shows_in_english_money_too(app):
    at = open_page(app, "upload")
    upload(at, (HEADER + "A;01-03-2025;1.234,50;1\r\n").encode("cp1252"))
    at.text_input(key="dataset_name").set_value("Klein").run()
    at.button[-1].click().run()
    at = open_page(at, "overview")  # AppTest loses the page st.switch_page went to
    at.radio(key="lang").set_value("en").run()
    assert at.selectbox(key="dataset").value == "Klein"
    assert figures(at)["Revenue"] == money(1234.5, "en", 0)


def test_the_same_file_is_not_read_again_on_a_rerun(app):
    at = open_page(app, "upload")
    upload(at, (HEADER + "A;01-03-2025;12,50;1\r\n").encode("cp1252"))
    first = at.session_state["_upload_lines"].imp.table
    at.radio(key="lang").set_value("en").run()  # any rerun, here a language switch
    assert not at.exception
    assert at.session_state["_upload_lines"].imp.table == first
    assert figures(at)["Rows read"] == "1"


def test_the_raw_file_is_on_disk_only_while_it_is_read(app, tmp_path):
    at = open_page(app, "upload")
    upload(at, (DATA / "demo_verkoopregels.csv").read_bytes())
    assert figures(at)["Regels gelezen"]  # read, the rows are in the session
    uploads = tmp_path / "store" / "uploads"
    assert not uploads.exists() or not any(uploads.rglob("*.csv"))


def test_saving_frees_the_sessions_copy_and_a_look_alike_name_is_the_same_dataset(app, tmp_path):
    from app.ui import cursor
    from portfolio.ingest.uploads import staging_tables

    at = open_page(app, "upload")
    upload(at, (DATA / "demo_verkoopregels.csv").read_bytes())
    assert staging_tables(cursor())  # the session's import
    at.text_input(key="dataset_name").set_value("Demo ").run()  # a trailing space
    assert "Er bestaat al een dataset" in shown(at.caption[-1].value)
    at.button[-1].click().run()
    assert not at.exception
    store = tmp_path / "store" / "datasets"
    assert sorted(p.name for p in store.iterdir() if not p.name.startswith(".")) == ["Demo"]
    assert len(list((store / "Demo").glob("2*"))) == 2  # a new version of the same one
    assert not staging_tables(cursor())  # saved as Parquet: the session's tables are gone


def test_a_dataset_is_deleted_with_everything_only_when_its_name_is_typed(app, tmp_path):
    at = open_page(app, "upload")
    upload(at, (DATA / "demo_verkoopregels.csv").read_bytes())
    at.text_input(key="dataset_name").set_value("Klanten 2025").run()
    at.button[-1].click().run()
    folder = tmp_path / "store" / "datasets" / "Klanten 2025"
    (folder / "plan.json").write_text('{"settings": {"acceptance": 60}}', encoding="utf-8")
    at = open_page(at, "upload")
    assert at.selectbox(key="delete_which").options == ["Klanten 2025"]  # never the demo
    at.text_input(key="delete_typed").set_value("Klanten")
    at.button(key="FormSubmitter:delete_dataset-Definitief verwijderen").click().run()
    assert "er is niets verwijderd" in shown(at.error[0].value)
    assert folder.is_dir()
    at.text_input(key="delete_typed").set_value("Klanten 2025")
    at.button(key="FormSubmitter:delete_dataset-Definitief verwijderen").click().run()
    assert not at.exception
    assert "is verwijderd" in shown(at.success[0].value)
    assert not folder.exists()
    assert not any((tmp_path / "store" / "tmp").glob("deleted-*"))
    assert at.sidebar.selectbox(key="dataset").options == ["Demo"]


NO_COST = (
    "Klant;Factuurdatum;Artikel;Bedrag excl. btw\r\n"
    "Alfa;01-03-2025;A-1;1.000,00\r\nBeta;02-03-2025;B-2;500,00\r\n"
)


def test_without_cost_price_the_page_offers_estimates_and_every_page_says_they_are_used(app):
    at = open_page(app, "upload")
    upload(at, NO_COST.encode("cp1252"))
    assert any("geen kostprijs" in shown(m.value) for m in at.markdown)
    upload(at, b"Artikel;Marge %\r\nA-1;40\r\n", "marges.csv", key="up_products")
    assert figures(at)["Gebruikt"] == "1"  # the product file's own quality block
    # A-1 brings 1.000 of the 1.500 without cost price; B-2 is named as missing
    assert any(
        f"voor {percent(1000 / 1500, 'nl', 0)} van de omzet" in shown(i.value) for i in at.info
    )
    assert any("Niet in het bestand (grootste eerst): B-2" in shown(c.value) for c in at.caption)
    at.number_input(key="up_average_margin").set_value(10.0).run()
    at.text_input(key="dataset_name").set_value("Zonder kostprijs").run()
    at.button[-1].click().run()
    assert not at.exception, at.exception
    # by hand: Alfa 40 % of 1.000 (the file), Beta 10 % of 500 (the average)
    assert figures(at)["Brutomarge"] == money(450, "nl", 0)
    note = " ".join(shown(i.value) for i in at.info)
    assert "Geschatte marge" in note and "marges.csv" in note and "10,0" in note


def test_without_cost_price_or_estimate_the_margin_is_unknown(app):
    at = open_page(app, "upload")
    upload(at, NO_COST.encode("cp1252"))
    at.text_input(key="dataset_name").set_value("Onbekende marge").run()
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert figures(at)["Brutomarge"] == "onbekend"
    assert not any("Geschatte marge" in shown(i.value) for i in at.info)


def test_before_the_first_file_the_page_says_what_is_needed_and_offers_samples(app, tmp_path):
    at = open_page(app, "upload")
    text = " ".join(m.value for m in at.markdown)
    assert "Nodig:" in text and "klant" in text and "exclusief btw" in text
    packages = ("Exact Online", "Twinfield", "e-Boekhouden.nl", "SnelStart", "AFAS", "Moneybird")
    assert all(package in text for package in packages)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Voorbeeld: factuurregels (CSV)", "Voorbeeld: klantenbestand (CSV)"]

    sample = file_head(DATA / "demo_verkoopregels.csv", 25)
    assert sample.count(b"\n") == 26  # the header and 25 lines, as written
    file = tmp_path / "voorbeeld.csv"
    file.write_bytes(sample)
    imp = read_invoice_lines(connect(tmp_path / "check"), file, tmp_path / "check" / "staging")
    assert (imp.rows_used, imp.rows_rejected) == (25, 0)  # the sample reads as it should

    upload(at, sample, "voorbeeld.csv")
    assert "Nodig:" not in " ".join(m.value for m in at.markdown)  # the guide has done its work
