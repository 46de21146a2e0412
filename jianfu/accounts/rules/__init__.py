"""Pure rules of accounts: phone numbers, the TOTP algorithm, the human check (no database)."""
