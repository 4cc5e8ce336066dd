CREATE TABLE api_token (
    id TEXT PRIMARY KEY NOT NULL,  version INTEGER NOT NULL CHECK (version >= 1), createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role TEXT NOT NULL CHECK (role IN ('admin','cio','integration','auditor')),
    cityIds TEXT NOT NULL CHECK (json_valid(cityIds) AND json_type(cityIds) = 'array'),
    -- SHA-256 of the secret in hex; the secret itself is never stored.
    tokenHash TEXT NOT NULL UNIQUE CHECK (length(tokenHash) = 64),
    expiresOn TEXT,
    revokedAt TEXT
)
