"""The local web app for finance officers: units, the Excel workbook, the narrative, the report and the bureau's review."""
