"""Cost-split exports: one module per format, all written from `rows.ExportLine` lists.

csv_report (CSV, plain or for Swedish Excel), xlsx_report (XLSX via openpyxl), pdf_statement
(one agency's statement via Typst), focus (FinOps FOCUS 1.2 CSV), sie (SIE 4 voucher file).
See docs/decisions/2026-11-22-cost-exports.md for the choices made.
"""
