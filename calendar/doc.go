// Package calendar counts working days in the three UK bank-holiday
// divisions: England and Wales, Scotland, and Northern Ireland.
//
// Tether needs it for two service rules: post to a UK address is deemed
// received on the second business day after posting, not counting the day of
// posting; and MPs' enquiries are answered within 20 working days. Business
// and working days are Monday to Friday less the bank holidays of the
// division concerned.
//
// Bank holidays are data, not code, because one-off holidays are proclaimed
// (the 2022 Platinum Jubilee and State Funeral, the 2023 Coronation, the 2026
// Scottish World Cup holiday). Default returns the list shipped in
// data/bank-holidays.json, a copy of https://www.gov.uk/bank-holidays.json;
// ParseGovUK reads a newer copy and Merge lays it over the old.
//
// The package is pure: it reads no files, clock or environment, and holds no
// mutable state. Dates are civil dates (Date) with no time zone; FromTime
// turns an instant into one for a given location.
package calendar
