-- A tenant's listing moves the late-return window only for an arrival while they were off the list: taken off and put
-- back a minute later, a return already late stays late. The tenant keeps when they were last taken off (kept when put
-- back). Rows from before this have none: an arrival before listed_at is judged from it, as it was.
ALTER TABLE tenants ADD unlisted_at DATETIMEOFFSET NULL;
