-- Contacts with only an email address (newsletter subscribers): a contact has a phone, an email address or
-- both (the api checks the "at least one"), so the phone may be NULL.
ALTER TABLE contacts ALTER COLUMN phone DROP NOT NULL;

-- An email address is unique in a workspace from here on, as a phone is. Contacts that shared one (only
-- possible before, when every contact had a phone): the oldest keeps it; each later one keeps its phone,
-- loses the address, and says in its notes which contact has it, so nothing is lost without a trace.
UPDATE contacts SET
  notes = CASE WHEN notes = '' THEN '' ELSE notes || ' ' END || '[email ' || email || ' removed: contact ' ||
    (SELECT k.id FROM contacts k WHERE k.workspace_id = contacts.workspace_id AND k.email = contacts.email ORDER BY k.rowid LIMIT 1) ||
    ' has it, and an email address belongs to one contact]',
  email = NULL
WHERE email IS NOT NULL
  AND EXISTS (SELECT 1 FROM contacts o WHERE o.workspace_id = contacts.workspace_id AND o.email = contacts.email AND o.rowid < contacts.rowid);
DROP INDEX contacts_email;
CREATE UNIQUE INDEX contacts_email ON contacts (workspace_id, email) WHERE email IS NOT NULL;
