using Scoring.Domain;
using Scoring.Domain.Lists;
using Scoring.Storage;
using C = Scoring.Application.RosterColumns;

namespace Scoring.Application;

/// <summary>
/// Loads a street's roster from a spreadsheet: one row per tenant or shop, the person repeating, a person
/// found by type and phone number within the street (an older record without one, as the export writes it: by type,
/// community and name). Every row is checked before anything is written; an apply writes
/// everything or nothing in one transaction; importing the same file again changes nothing.
/// The file is the whole roster of each community it names: landlords and shop heads of those communities
/// missing from it, and tenants or shops missing from their person's rows, are deactivated (never deleted).
/// </summary>
public sealed class RosterImport(Database db, TimeProvider time)
{
    private static readonly System.Text.RegularExpressions.Regex ExcelDates =
        new(@"^([0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}|[0-9]{1,2}月[0-9]{1,2}日)$", System.Text.RegularExpressions.RegexOptions.Compiled);

    /// <summary>Starts the key of an older record without a phone (then its id): no phone starts so.</summary>
    private const string NoPhone = "no-phone:";

    /// <summary>
    /// What finds a person with a phone: their type and phone. One person may both let rooms and head shops — two rows of
    /// the sheet with one phone, a record of each type (its own score and lists).
    /// </summary>
    private static string KeyOf(SubjectKind kind, string phone) => $"{kind}:{phone}";

    private static string KeyOf(Subject x) => x.Phone is null ? NoPhone + x.Id : KeyOf(x.Kind, x.Phone);

    /// <param name="actor">The staff member importing; null for the operator at the service's console (the whole street).</param>
    public async Task<Outcome<ImportReport>> ImportAsync(StaffMember? actor, string street, RosterSheet sheet, bool dryRun, CancellationToken ct = default) =>
        dryRun
            ? await db.ReadAsync(s => ImportInAsync(s, actor, street, sheet, apply: false), ct)
            : await ApplyAsync(actor, street, sheet, ct);

    private async Task<Outcome<ImportReport>> ApplyAsync(StaffMember? actor, string street, RosterSheet sheet, CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync(s => ImportInAsync(s, actor, street, sheet, apply: true), ct);
        }
        catch (System.Data.Common.DbException e) when (TransientFaults.IsUniqueViolation(e))
        {
            // Someone entered a person with one of the file's phones while it was being checked (possible on SQL Server,
            // whose writers run side by side): nothing was written, and importing again sees them.
            return Failure.Conflict("roster-changed", "Someone changed the street's people while the file was being imported; nothing was written. Import it again.",
                "导入期间本街道人员有变动，本次未写入任何内容，请重新导入。");
        }
    }

    /// <summary>The import inside a caller's unit of work; with <paramref name="apply"/> it writes, unless a row is wrong.</summary>
    public async Task<Outcome<ImportReport>> ImportInAsync(Session s, StaffMember? actor, string street, RosterSheet sheet, bool apply)
    {
        if (actor is not null && (actor.Role == StaffRole.GridWorker || !actor.CanActIn(street, actor.CommunityId))) return Failure.Forbidden();
        // Applied, the sheet is checked against the settings as stored now (the shop limit an officer set a moment ago on
        // another instance), not this instance's cached street.
        if (await (apply ? s.GetStreetForChangeAsync(street) : s.GetStreetAsync(street)) is not { } found)
            return Failure.StreetNotFound(street);
        var plan = await new Planner(s, found, actor, time.GetUtcNow()).PlanAsync(sheet, apply);
        if (plan.Errors.Count > 0 || !apply) return plan.Report(applied: false);
        var now = time.GetUtcNow();
        await plan.ApplyAsync(s, now);
        var report = plan.Report(applied: true);
        if (report.Created + report.Updated + report.Deactivated > 0)
            await StaffActions.RecordAsync(s, now, street, actor?.Id ?? StaffActions.Console, StaffActions.RosterImported, StaffActions.Targets.Street, street,
                $"created {report.Created}, updated {report.Updated}, deactivated {report.Deactivated}");
        return report;
    }

    /// <summary>The header row: the first of the first ten non-empty rows that starts with 类型 (title rows above it are common), else the first.</summary>
    private static RosterLine? HeaderOf(IReadOnlyList<RosterLine> nonEmpty) =>
        nonEmpty.Take(10).FirstOrDefault(l => RosterSheet.IsHeader(l.Cells)) ?? nonEmpty.FirstOrDefault();

    /// <summary>The community ids a sheet's rows name (for setting up a new street from its first roster).</summary>
    public static IReadOnlyList<string> CommunitiesNamed(RosterSheet sheet)
    {
        var nonEmpty = sheet.Lines.Where(l => l.Cells.Any(c => c.Length > 0)).ToList();
        var header = HeaderOf(nonEmpty);
        if (header is null) return [];
        return nonEmpty.Where(l => l.Row > header.Row && l.Cells.Count > 1 && !RosterSheet.IsHeader(l.Cells) && !RosterExport.IsExample(l.Cells.Select(RosterSheet.Clean).ToList()))
            .Select(l => RosterSheet.Clean(l.Cells[1])).Where(c => c.Length > 0).Distinct().ToList();
    }

    /// <summary>A landlord or shop head as the file has them: their first row, and a row per tenant or shop.</summary>
    /// <param name="key">What finds them: their type and phone (<see cref="KeyOf(SubjectKind, string)"/>), or for an older record without one <see cref="NoPhone"/> and its id.</param>
    /// <param name="phone">Their phone as the file gives it; null for an older record found without one.</param>
    private sealed class Person(int row, SubjectKind kind, string community, string name, string key, string? phone)
    {
        public string? Phone { get; } = phone;
        public int Row { get; } = row;
        public SubjectKind Kind { get; } = kind;
        public string Community { get; } = community;
        public string Name { get; } = name;
        public string Key { get; } = key;
        public string? Grid { get; set; }
        public string? IdCard { get; set; }
        public List<(int Row, string Name, string? Room, string? Phone)> Holdings { get; } = [];
    }

    private sealed class Plan
    {
        public List<RosterProblem> Errors { get; } = [];
        public List<RosterProblem> Notices { get; } = [];
        public int Dropped;
        public int Created, Updated, Unchanged, Deactivated;
        public List<Func<Session, Task>> Writes { get; } = [];

        public void Problem(int row, string? column, string code, string problem)
        {
            if (Errors.Count < C.MaxProblems) Errors.Add(new RosterProblem(row, column, problem, code));
            else Dropped++;
        }

        public ImportReport Report(bool applied)
        {
            // By row, as the office goes down the sheet; a wrong file does nothing, so it counts nothing either.
            var errors = Errors.OrderBy(e => e.Row).ToList();
            if (errors.Count > 0) Created = Updated = Unchanged = Deactivated = 0;
            if (Dropped > 0) errors.Add(new RosterProblem(0, null, $"还有{Dropped}个问题未列出 / {Dropped} more problems not listed", "more-problems"));
            return new ImportReport(Created, Updated, Unchanged, Deactivated, errors, applied) { Notices = Notices.ToList() };
        }

        /// <summary>Identity cards to store, hashed only when the plan is applied (a dry run need not pay for it).</summary>
        public List<(string SubjectId, string Number)> Cards { get; } = [];

        public async Task ApplyAsync(Session s, DateTimeOffset now)
        {
            foreach (var write in Writes) await write(s);
            var rows = new IdentityCardRow[Cards.Count];
            Parallel.For(0, Cards.Count, i => rows[i] = IdentityCards.Protect(Cards[i].SubjectId, Cards[i].Number, now));
            foreach (var row in rows) await s.SetIdentityCardAsync(row);
        }
    }

    /// <summary>Reads the sheet against what the street already has and works out every write.</summary>
    private sealed class Planner(Session s, Street street, StaffMember? actor, DateTimeOffset now)
    {
        private readonly Plan _plan = new();

        /// <param name="apply">Whether the plan is to be written: the street's people are then held from this read to the
        /// commit (SQL Server), as a change of one person holds them, since every write puts back a whole record as read.</param>
        public async Task<Plan> PlanAsync(RosterSheet sheet, bool apply)
        {
            _communities = (await s.ListCommunitiesAsync(street.Id)).ToDictionary(c => c.Id);
            // Someone whose personal data was erased is no one a roster can name again (by phone, card or an older
            // record's name): the same person back is a new one.
            _subjects = (apply ? await s.ListStreetSubjectsForChangeAsync(street.Id) : await s.ListSubjectsAsync(street.Id)).Where(x => x.ErasedAt is null).ToList();
            foreach (var p in sheet.FileProblems) _plan.Problem(p.Row, p.Column, p.Code, p.Problem);
            if (_plan.Errors.Count > 0) return _plan;

            var nonEmpty = sheet.Lines.Where(l => l.Cells.Any(c => c.Length > 0)).ToList();
            if (nonEmpty.Count == 0)
            {
                _plan.Problem(1, null, "empty", "文件是空的：第一行应为表头 类型,社区,姓名,电话,网格,租客或店铺,房间,联系电话 / The file is empty.");
                return _plan;
            }
            var header = HeaderOf(nonEmpty)!;
            var columns = header.Cells.Select(RosterSheet.HeaderText).ToList();
            if (!CheckHeader(header.Row, columns)) return _plan;
            int idCardColumn = columns.Count > C.Required.Count && columns[C.Required.Count] == C.IdCard ? C.Required.Count : -1;

            // The header again lower down is where another community's file was pasted under the first, not a person.
            var below = nonEmpty.Where(l => l.Row > header.Row && !(RosterSheet.IsHeader(l.Cells) && l.Cells.Count > 1 && RosterSheet.HeaderText(l.Cells[1]) == C.Community)).ToList();
            // The template's example row, left in place above the office's own rows, is not a person.
            var rows = below.Where(l => !RosterExport.IsExample(l.Cells.Select(RosterSheet.Clean).ToList())).ToList();
            if (rows.Count > C.MaxRows)
            {
                _plan.Problem(0, null, "too-many-rows", $"最多{C.MaxRows}行，这个文件有{rows.Count}行，请分社区导入 / At most {C.MaxRows} rows; import community by community.");
                return _plan;
            }
            if (rows.Count == 0 && below.Count > 0)
            {
                _plan.Problem(below[0].Row, null, "no-rows", $"表头下只有模板的示例行（{RosterExport.ExampleName}），示例行不会导入，请在下面填写人员 / Only the template's example row is under the header; it is never imported.");
                return _plan;
            }
            if (rows.Count == 0)
            {
                _plan.Problem(header.Row, null, "no-rows", "表头下没有数据行 / There are no rows under the header.");
                return _plan;
            }
            // The rows read well are checked against the street even when others are wrong: every problem is told at once.
            var people = ReadPeople(rows, idCardColumn);
            await PlanWritesAsync(people);
            return _plan;
        }

        private bool CheckHeader(int row, List<string> columns)
        {
            // Not one of the columns: not a misspelt header but none at all (a letter, another table); one problem says so.
            if (!C.Required.Any(columns.Contains))
            {
                _plan.Problem(row, null, "header-missing", $"没有找到花名册的表头：第一行应为 {string.Join(",", C.Required)}（可下载模板填写） / No roster header: the first row must be {string.Join(",", C.Required)}.");
                return false;
            }
            bool ok = true;
            for (int i = 0; i < C.Required.Count; i++)
            {
                var expected = C.Required[i];
                if (i < columns.Count && columns[i] == expected) continue;
                ok = false;
                int at = columns.IndexOf(expected);
                if (at < 0) _plan.Problem(row, expected, "column-missing", $"缺少“{expected}”列 / Column {expected} is missing.");
                else _plan.Problem(row, expected, "column-order", $"“{expected}”应在第{i + 1}列，现在第{at + 1}列 / Column {expected} must be column {i + 1}, not {at + 1}.");
            }
            return ok;
        }

        /// <summary>
        /// A room as Excel leaves one it took for a date (1-3 typed, a date kept): 2026-01-03 from a workbook, 1月3日 or
        /// 2026/1/3 from its CSV. No room is numbered so, and what was typed cannot be told from it.
        /// </summary>
        private static bool LooksLikeADate(string room) => ExcelDates.IsMatch(room);

        /// <summary>
        /// Why two names or cards on one phone are refused, and what to do: a person is found by type and phone (every later
        /// import, the API), so two people of a kind — a couple, a landlord and the child who answers for him — need two phones.
        /// </summary>
        private const string OnePhoneZh = "人员按电话识别，一个电话只能登记一位房东（或铺长）；如是两人，请填写各自的电话";
        private const string OnePhoneEn = "people are found by phone, one landlord (or shop head) to a phone; if these are two people, give each their own phone.";

        private static string Cell(RosterLine line, int i) => i >= 0 && i < line.Cells.Count ? RosterSheet.Clean(line.Cells[i]) : "";

        /// <summary>Row by row: each cell's own rules, then the person's rows against each other.</summary>
        private List<Person> ReadPeople(List<RosterLine> rows, int idCardColumn)
        {
            var byKey = new Dictionary<string, Person>();
            // The person of a phone's latest row: a later row leaving the type empty is theirs.
            var byPhone = new Dictionary<string, Person>();
            var people = new List<Person>();
            var seen = new Dictionary<(string Key, string Holding), (int Row, string Room, string Contact)>();
            var scope = actor is { Role: StaffRole.Secretary } ? actor.CommunityId : null;
            foreach (var line in rows)
            {
                int r = line.Row;
                string type = Cell(line, 0), community = Cell(line, 1), name = Cell(line, 2), phoneText = Cell(line, 3), grid = Cell(line, 4),
                    holding = Cell(line, 5), room = Cell(line, 6), contact = Cell(line, 7), idText = Cell(line, idCardColumn);
                int before = _plan.Errors.Count + _plan.Dropped;
                community = CommunityId(community);

                SubjectKind? kind = type.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant() switch
                {
                    C.Landlord or "landlord" => SubjectKind.Landlord,
                    C.ShopHead or "shop-head" => SubjectKind.ShopHead,
                    _ => null,
                };
                string? key = null, phone = null;
                if (phoneText.Length == 0)
                {
                    // The export writes an older record without a phone so; a new person needs one.
                    if (kind is not null && WithoutPhone(kind.Value, community, name) is { } older) key = NoPhone + older.Id;
                    else _plan.Problem(r, C.Phone, "phone-required", "电话不能为空：人员按电话识别 / The phone is required: people are found by it.");
                }
                else if (RosterText.Phone(phoneText) is { Succeeded: true } p)
                {
                    phone = p.Value!;
                    key = kind is { } k ? KeyOf(k, phone) : byPhone.TryGetValue(phone, out var above) ? above.Key : null;
                }
                else _plan.Problem(r, C.Phone, "phone-invalid", $"电话“{phoneText}”无效（{RosterText.PhoneExpectedZh(phoneText)}） / Phone '{phoneText}' is not valid.");

                var known = key is null ? null : byKey.GetValueOrDefault(key);
                // Cells a person's later rows leave empty (merged cells, or just not repeated) are the person's.
                if (known is null || type.Length > 0)
                {
                    if (kind is null) _plan.Problem(r, C.Type, type.Length == 0 ? "type-required" : "type-invalid", $"类型应为“房东”或“铺长”{(type.Length == 0 ? "" : $"，不是“{type}”")} / Type must be 房东 or 铺长.");
                    else if (known is not null && known.Kind != kind) _plan.Problem(r, C.Type, "person-inconsistent", $"与第{known.Row}行同一电话的类型不一致 / Differs from row {known.Row} of the same phone.");
                }
                if (known is null || community.Length > 0)
                {
                    if (community.Length == 0) _plan.Problem(r, C.Community, "community-required", "社区不能为空 / The community is required.");
                    else if (!_communities.TryGetValue(community, out var c) || !c.Active)
                        _plan.Problem(r, C.Community, "community-unknown", $"本街道没有社区“{RosterText.Clip(community)}”（可填：{Communities()}） / No community '{RosterText.Clip(community)}' in this street.");
                    else if (scope is not null && community != scope) _plan.Problem(r, C.Community, "community-outside-scope", $"只能导入本社区（{scope}）的行 / Only rows of your community ({scope}).");
                    else if (known is not null && known.Community != community) _plan.Problem(r, C.Community, "person-inconsistent", $"与第{known.Row}行同一电话的社区不一致 / Differs from row {known.Row} of the same phone.");
                }
                if (known is null || name.Length > 0)
                {
                    if (RosterText.Name(name) is { Succeeded: false } bad) _plan.Problem(r, C.Name, bad.Failure!.Code, bad.Failure.Chinese + " / " + bad.Failure.English);
                    else if (known is not null && known.Name != name) _plan.Problem(r, C.Name, "person-inconsistent", $"与第{known.Row}行同一电话的姓名不一致：{OnePhoneZh} / Differs from row {known.Row} of the same phone: {OnePhoneEn}");
                }
                if (grid.Length > 0)
                {
                    if (RosterText.Name(grid, "grid", "网格") is { Succeeded: false } bad) _plan.Problem(r, C.Grid, bad.Failure!.Code, bad.Failure.Chinese + " / " + bad.Failure.English);
                    else if (known?.Grid is { } g && g != grid) _plan.Problem(r, C.Grid, "person-inconsistent", $"与第{known.Row}行同一电话的网格不一致 / Differs from row {known.Row} of the same phone.");
                }
                string? idCard = null;
                if (idText.Length > 0)
                {
                    if (IdentityCards.Normalize(idText) is { Succeeded: true } id) idCard = id.Value;
                    else _plan.Problem(r, C.IdCard, "id-card-invalid", RosterText.Scientific(idText)
                        ? $"身份证号无效（{RosterText.ScientificZh}） / The number was kept in scientific notation and lost its last digits: format the column as text and type it again."
                        : "身份证号无效 / The identity-card number is not valid.");
                    if (idCard is not null && known?.IdCard is { } k && k != idCard) _plan.Problem(r, C.IdCard, "person-inconsistent", $"与第{known.Row}行同一电话的身份证号不一致：{OnePhoneZh} / Differs from row {known.Row} of the same phone: {OnePhoneEn}");
                }
                if (holding.Length > 0 && RosterText.Name(holding, "tenant or shop", "租客或店铺") is { Succeeded: false } h)
                    _plan.Problem(r, C.Holding, h.Failure!.Code, h.Failure.Chinese + " / " + h.Failure.English);
                string? roomValue = null, contactValue = null;
                var rm = RosterText.Room(room);
                if (rm.Failure is { } badRoom) _plan.Problem(r, C.Room, badRoom.Code, badRoom.Chinese + " / " + badRoom.English); // too long, or a control character
                else roomValue = rm.Value;
                if (RosterText.Phone(contact) is { Succeeded: true } cp) contactValue = cp.Value;
                else _plan.Problem(r, C.ContactPhone, "phone-invalid", $"联系电话“{contact}”无效（{RosterText.PhoneExpectedZh(contact)}） / Phone '{contact}' is not valid.");
                if (holding.Length == 0 && (room.Length > 0 || contact.Length > 0))
                    _plan.Problem(r, C.Holding, "holding-required", "填写了房间或联系电话，但没有租客姓名 / A room or phone without a tenant's name.");

                if (key is not null)
                {
                    if (!seen.TryGetValue((key, holding), out var first)) seen[(key, holding)] = (r, room, contact);
                    else if (holding.Length > 0 && (first.Room, first.Contact) != (room, contact))
                        // Another tenant of the same name, not a copy: a report by name could not tell them apart.
                        _plan.Problem(r, C.Holding, "holding-same-name",
                            $"第{first.Row}行已有同名的“{RosterText.Clip(holding)}”：同一人名下两位同名租客请在姓名后加以区分，如“{RosterText.Clip(holding)}（{(room.Length > 0 ? room : "2")}）”，上报时才分得清 / Row {first.Row} has another '{RosterText.Clip(holding)}': tell them apart by name.");
                    else _plan.Problem(r, holding.Length > 0 ? C.Holding : C.Phone, "duplicate-row", $"与第{first.Row}行重复 / Repeats row {first.Row}.");
                }
                if (_plan.Errors.Count + _plan.Dropped > before || key is null) continue;

                // One person may be both, under their one name: another name on the phone is someone else's mistake.
                if (known is null && phone is not null && byPhone.TryGetValue(phone, out var twin) && twin.Kind != kind && twin.Name != name)
                {
                    _plan.Problem(r, C.Name, "person-inconsistent", $"与第{twin.Row}行同一电话的姓名不一致：同一人可以既是房东又是铺长，但姓名应相同 / Differs from row {twin.Row} of the same phone: one person may be both a landlord and a shop head, under one name.");
                    continue;
                }
                if (known is null)
                {
                    known = new Person(r, kind!.Value, community, name, key, phone);
                    byKey[key] = known;
                    people.Add(known);
                    // Said, not refused: one person may be both, and a type mistyped on one row would make them so.
                    if (phone is not null && byPhone.TryGetValue(phone, out var other) && other.Kind != known.Kind)
                        _plan.Notices.Add(new RosterProblem(r, C.Type,
                            $"与第{other.Row}行同一电话，分别登记为{other.Kind.NameZh()}和{known.Kind.NameZh()}：将是同一人的两个身份，各自计分、各自上榜。如是填错了类型，请改正 / " +
                            $"Same phone as row {other.Row}, as a {other.Kind.ToWire()} there and a {known.Kind.ToWire()} here: one person with two records, each scored and listed on its own. If a type is mistyped, correct it.",
                            "phone-both-kinds"));
                }
                if (phone is not null) byPhone[phone] = known;
                if (grid.Length > 0) known.Grid ??= grid;
                known.IdCard ??= idCard;
                if (holding.Length > 0) known.Holdings.Add((r, holding, known.Kind == SubjectKind.Landlord ? roomValue : null, known.Kind == SubjectKind.Landlord ? contactValue : null));
            }
            return people;
        }

        private Dictionary<string, Community> _communities = [];

        /// <summary>
        /// The community a cell names: its id (typed in capitals or full-width too), else the name of one active community,
        /// as offices write it (方塘村); anything else as written, to be refused.
        /// </summary>
        private string CommunityId(string cell)
        {
            if (cell.Length == 0 || _communities.ContainsKey(cell)) return cell;
            var folded = cell.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant();
            if (_communities.ContainsKey(folded)) return folded;
            var named = _communities.Values.Where(c => c.Active && c.Name == cell).ToList();
            return named.Count == 1 ? named[0].Id : cell;
        }

        /// <summary>The active communities a row may name, as a refusal lists them.</summary>
        private string Communities()
        {
            var active = _communities.Values.Where(c => c.Active).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
            var shown = string.Join("、", active.Take(10).Select(c => $"{c.Id}（{c.Name}）"));
            return active.Count > 10 ? shown + "等" : shown;
        }
        private IReadOnlyList<Subject> _subjects = [];

        /// <summary>
        /// The older record (the API once took people without a phone) that a row without a phone stands for: the one
        /// of that type, community and name, the active one if there are several; none if that does not tell them apart.
        /// </summary>
        private Subject? WithoutPhone(SubjectKind kind, string community, string name)
        {
            var same = _subjects.Where(x => x.Phone is null && x.Kind == kind && x.CommunityId == community && x.Name == name).ToList();
            var active = same.Where(x => x.Active).ToList();
            return active.Count == 1 ? active[0] : same.Count == 1 ? same[0] : null;
        }

        private async Task PlanWritesAsync(List<Person> people)
        {
            var byKey = _subjects.ToDictionary(KeyOf);
            var tenants = (await s.TenantsOfStreetAsync(street.Id)).ToLookup(t => t.SubjectId);
            var shops = (await s.ShopsOfStreetAsync(street.Id)).ToLookup(t => t.SubjectId);
            var cards = (await s.IdentityCardsOfStreetAsync(street.Id)).ToDictionary(c => c.SubjectId);
            var grids = (await s.ListGridsAsync(street.Id)).ToList();
            var newGrids = new Dictionary<(string Community, string Name), Grid>();
            var inFile = new HashSet<string>();
            int shopLimit = street.Settings.ShopLimit;
            // Checking a stored identity card costs a slow hash on purpose: do them all at once, on every core.
            var cardChecks = people
                .Where(p => p.IdCard is not null && byKey.TryGetValue(p.Key, out var x) && cards.ContainsKey(x.Id))
                .Select(p => (p.Key, Card: cards[byKey[p.Key].Id], Number: p.IdCard!))
                .ToList();
            var sameCard = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
            Parallel.ForEach(cardChecks, c => sameCard[c.Key] = IdentityCards.Matches(c.Card, c.Number));
            var renumbered = Renumbered(people, byKey, cards);
            foreach (var key in renumbered.Keys) sameCard[key] = true;
            Subject? Found(Person p) => byKey.GetValueOrDefault(p.Key) ?? renumbered.GetValueOrDefault(p.Key);
            var newcomers = new List<Person>();

            foreach (var person in people)
            {
                // The grid: an id, else the name of an active grid of the community, else of the deactivated one the person is
                // already in, else a new grid of that name. A deactivated grid is kept by who is in it, never newly given:
                // nor is a second grid of its name made behind the officer's back.
                string? gridId = null;
                if (person.Grid is { } g)
                {
                    var before = Found(person);
                    bool Held(Grid x) => x.Id == before?.GridId && before.CommunityId == person.Community;
                    var grid = grids.FirstOrDefault(x => x.Id == g && x.CommunityId == person.Community)
                        ?? grids.FirstOrDefault(x => x.Active && x.Name == g && x.CommunityId == person.Community)
                        ?? grids.FirstOrDefault(x => x.Name == g && x.CommunityId == person.Community && Held(x))
                        ?? grids.FirstOrDefault(x => x.Name == g && x.CommunityId == person.Community);
                    if (grid is not null && !Rosters.MayHold(grid, person.Community, Held(grid)))
                    {
                        _plan.Problem(person.Row, C.Grid, "grid-inactive", $"网格“{RosterText.Clip(g)}”已停用：请先恢复该网格，或填写其他网格 / Grid '{RosterText.Clip(g)}' is deactivated: reactivate it first, or name another.");
                        continue;
                    }
                    if (grid is null && !newGrids.TryGetValue((person.Community, g), out grid))
                    {
                        grid = new Grid { Id = Ids.New(10).ToLowerInvariant(), CommunityId = person.Community, Name = g };
                        newGrids[(person.Community, g)] = grid;
                        var created = grid;
                        _plan.Created++;
                        _plan.Writes.Add(x => x.InsertGridAsync(created));
                    }
                    if (newGrids.ContainsValue(grid)) GridLeftBehind(person, before, grids, g);
                    gridId = grid.Id;
                }

                if (person.Kind == SubjectKind.ShopHead && person.Holdings.Count > shopLimit)
                {
                    var over = person.Holdings[shopLimit];
                    var listed = person.Holdings.Count;
                    // Said what to do: whoever reads the error cannot tell the limit from a mistake in the file. A holder
                    // already above it (the limit was lowered under them before that was refused) is told so.
                    var now = Found(person) is { } held ? shops[held.Id].Count(x => x.Active) : 0;
                    var (nowZh, nowEn) = now > shopLimit
                        ? ($"此人现已负责{now}家，上限是后来调低的；", $" This person answers for {now} shops now: the limit was lowered after they were entered.")
                        : ("", "");
                    _plan.Problem(over.Row, C.Holding, "shop-limit",
                        $"一位铺长最多负责{shopLimit}家店铺，此人列了{listed}家，这是第{shopLimit + 1}家。{nowZh}请把多出的店铺登记给其他铺长（另写一行，填那位铺长的电话），或请街道工作人员把店铺上限（shopLimit）调到至少{listed}家 / " +
                        $"A shop head answers for at most {shopLimit} shops; this person is listed with {listed}.{nowEn} Enter the extra shops under another shop head (rows with that person's phone), or ask the street office to raise the shop limit (shopLimit) to at least {listed}.");
                    continue;
                }

                Subject subject;
                if (Found(person) is { } existing)
                {
                    // Said without naming the holder or their community: the importer may not read them.
                    if (existing.CommunityId != person.Community && actor is not null && !Rosters.CanManage(actor, street.Id, existing.CommunityId))
                    {
                        _plan.Problem(person.Row, C.Phone, "phone-taken", "该电话已登记在其他社区 / This phone belongs to someone in another community.");
                        continue;
                    }
                    if (existing.Kind != person.Kind) // found by identity card only of their kind: kept as a guard
                    {
                        var holder = Rosters.CanRead(actor, existing) ? $"“{existing.Name}”" : "";
                        _plan.Problem(person.Row, C.Type, "kind-fixed", $"该电话已登记为{existing.Kind.NameZh()}{holder}，类型不能更改 / This phone is a {existing.Kind.ToWire()} already.");
                        continue;
                    }
                    // The row's identity card is the one on record (or found them): the same person, whatever the name.
                    bool sameCardOnRecord = sameCard.GetValueOrDefault(person.Key);
                    if (person.IdCard is not null && !sameCardOnRecord && cards.TryGetValue(existing.Id, out var onRecord))
                    {
                        // Another card on the phone is another person (the card was never replaced so): refused, said what to do.
                        _plan.Problem(person.Row, C.IdCard, "id-card-mismatch", CardMismatch(existing, onRecord.LastFour));
                        continue;
                    }
                    if (!existing.Active && existing.Name != person.Name && !sameCardOnRecord)
                    {
                        // Off the roster under another name: as likely a newcomer on their old number (recycled, a house sold in
                        // the family) as the same person renamed. Put back, they would take the record's points, card and chat
                        // account; only the office can tell, as the API's answer asks it to.
                        _plan.Problem(person.Row, C.Phone, "phone-taken", OffRosterHolder(existing, cards.ContainsKey(existing.Id)));
                        continue;
                    }
                    // A person found by their identity card takes the file's phone; one found by phone (or an older record) keeps theirs.
                    var phone = person.Phone ?? existing.Phone;
                    // Renamed, the record keeps one name with the other type's record of its phone, unless the file renames that too.
                    if (person.Name != existing.Name && phone is not null
                        && _subjects.FirstOrDefault(x => x.Phone == phone && x.Kind != person.Kind) is { } namesake && namesake.Name != person.Name
                        && !people.Any(q => q.Kind == namesake.Kind && q.Phone == phone && q.Name == person.Name))
                    {
                        var holder = Rosters.CanRead(actor, namesake) ? $"“{namesake.Name}”" : "";
                        _plan.Problem(person.Row, C.Name, "phone-taken", $"该电话也登记为{namesake.Kind.NameZh()}{holder}：同一人可以既是房东又是铺长，但姓名应相同，请两处一起改名 / This phone is a {namesake.Kind.ToWire()}'s too: one person is both under one name; rename both.");
                        continue;
                    }
                    if (existing.Name != person.Name) SubjectRenamed(person, existing, sameCardOnRecord);
                    subject = existing with { CommunityId = person.Community, Name = person.Name, Phone = phone, GridId = gridId, Active = true };
                    // A card for a record that had none (one on record that differs was refused above).
                    bool cardChanged = person.IdCard is not null && !sameCardOnRecord;
                    if (subject != existing || cardChanged)
                    {
                        _plan.Updated++;
                        var changed = subject;
                        _plan.Writes.Add(x => x.UpdateSubjectAsync(changed, now));
                    }
                    else _plan.Unchanged++;
                    if (cardChanged) Protect(subject.Id, person.IdCard!);
                }
                else if (person.Phone is { } newPhone && _subjects.FirstOrDefault(x => x.Phone == newPhone && x.Kind != person.Kind) is { } twin && twin.Name != person.Name)
                {
                    // The phone of a record of the other type: the same person may be both, under their one name; another name
                    // is someone else. Named only to whoever may read them.
                    var holder = Rosters.CanRead(actor, twin) ? $"“{twin.Name}”" : "";
                    _plan.Problem(person.Row, C.Phone, "phone-taken", $"该电话已登记为{twin.Kind.NameZh()}{holder}：同一人可以既是房东又是铺长，但姓名应相同 / This phone is a {twin.Kind.ToWire()}'s already: one person may be both, under one name.");
                    continue;
                }
                else
                {
                    // Only a phone finds nobody: a row without one found an older record or was refused.
                    subject = new Subject { Id = Ids.New(10), StreetId = street.Id, CommunityId = person.Community, GridId = gridId, Kind = person.Kind, Name = person.Name, Phone = person.Phone };
                    _plan.Created++;
                    newcomers.Add(person);
                    var created = subject;
                    _plan.Writes.Add(x => x.InsertSubjectAsync(created, now));
                    if (person.IdCard is not null) Protect(subject.Id, person.IdCard);
                }
                inFile.Add(subject.Id);

                if (person.Kind == SubjectKind.Landlord) PlanTenants(subject, person, tenants[subject.Id].ToList());
                else PlanShops(subject, person, shops[subject.Id].ToList());
            }

            // The file is the roster of the communities it names: their people missing from it leave the lists.
            var named = people.Select(p => p.Community).ToHashSet();
            var leaving = _subjects.Where(x => x.Active && named.Contains(x.CommunityId) && !inFile.Contains(x.Id)).ToList();
            foreach (var x in leaving)
            {
                _plan.Deactivated++;
                var gone = x with { Active = false };
                _plan.Writes.Add(w => w.UpdateSubjectAsync(gone, now));
            }
            // With rows refused, the people of those rows look absent: nothing is written, and notices of people leaving
            // would send the office the wrong way (the file names them; their rows only need mending).
            if (_plan.Errors.Count > 0) return;
            SameNameLeaving(newcomers, leaving);
            OtherKindLeaving(newcomers, leaving);
            MostlyLeaving(leaving);
            ShopOfTwoHeads(people);
        }

        /// <summary>
        /// A shop listed under two shop heads of one community: most likely moved to another head with its old row left in
        /// place. Both would answer for it, and a report naming the shop could not tell whose it is. Said, not refused: two
        /// shops may share a name.
        /// </summary>
        private void ShopOfTwoHeads(List<Person> people)
        {
            var first = new Dictionary<(string Community, string Shop), (Person Head, int Row)>();
            foreach (var head in people.Where(p => p.Kind == SubjectKind.ShopHead))
                foreach (var (row, shop, _, _) in head.Holdings)
                {
                    if (!first.TryGetValue((head.Community, shop), out var earlier)) first[(head.Community, shop)] = (head, row);
                    else if (earlier.Head != head)
                        _plan.Notices.Add(new RosterProblem(row, C.Holding,
                            $"店铺“{RosterText.Clip(shop)}”也在第{earlier.Row}行{earlier.Head.Name}的名下：一家店铺应只由一位铺长负责。如店铺已换了铺长，请删去原来那一行；如是同名的两家店，请在店名中加以区分 / " +
                            $"Shop '{RosterText.Clip(shop)}' is also under {earlier.Head.Name} on row {earlier.Row}: a shop has one shop head. If it moved, delete the old row; if these are two shops, tell them apart by name.",
                            "shop-two-heads"));
                }
        }

        /// <summary>
        /// Someone moved to another community whose row still names their grid there (a building is in one community): a
        /// grid of that name is made in the new community, which no grid worker covers. Said, not refused: a street may
        /// name grids alike in two communities (1幢), and the office decides.
        /// </summary>
        private void GridLeftBehind(Person person, Subject? before, List<Grid> grids, string named)
        {
            if (before is null || before.CommunityId == person.Community) return;
            if (grids.FirstOrDefault(x => x.Id == before.GridId) is not { } old || (old.Name != named && old.Id != named)) return;
            string Name(string id) => _communities.TryGetValue(id, out var c) ? c.Name : id;
            var (from, to) = (Name(before.CommunityId), Name(person.Community));
            _plan.Notices.Add(new RosterProblem(person.Row, C.Grid,
                $"{person.Name}调到{to}，网格仍填“{RosterText.Clip(named)}”（{from}的网格）：导入将在{to}新建同名网格，该网格还没有网格员负责。如已换了网格，请填写{to}的网格 / " +
                $"{person.Name} moves to {to} with their grid '{RosterText.Clip(named)}' of {from} left in the row: a grid of that name is made in {to}, which no grid worker covers yet. If they are in another grid now, name one of {to}.",
                "grid-left-behind"));
        }

        /// <summary>
        /// A community most of whose people the file takes off: the file is meant as its whole roster, and a file of
        /// newcomers only (taking import for 'add') would empty it. Said, so a dry run shows it before anything is written.
        /// </summary>
        private void MostlyLeaving(List<Subject> leaving)
        {
            foreach (var gone in leaving.GroupBy(x => x.CommunityId).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                int onRoster = _subjects.Count(x => x.Active && x.CommunityId == gone.Key);
                if (gone.Count() * 2 <= onRoster) continue;
                var name = _communities.TryGetValue(gone.Key, out var c) ? c.Name : gone.Key;
                _plan.Notices.Add(new RosterProblem(0, C.Community,
                    $"{name}在册的{onRoster}人中有{gone.Count()}人不在文件中，将被停用：导入的文件是社区的全部名单。如只想新增人员，请先导出花名册，在其中添加后再导入 / " +
                    $"{gone.Count()} of the {onRoster} people of {name} are not in the file and leave the roster: the file is the community's whole roster. To add people, export the roster, add them and import it.",
                    "community-mostly-leaving"));
            }
        }

        /// <summary>
        /// People whose phone finds nobody but whose identity card is on record for one person of their kind whom the file
        /// no longer names by phone (and whom the importer may change): that person, with a new number. Only the card
        /// tells: a name is no proof, and the old person's chat account would speak for whoever it is.
        /// </summary>
        private Dictionary<string, Subject> Renumbered(List<Person> people, Dictionary<string, Subject> byKey, Dictionary<string, IdentityCardRow> cards)
        {
            var keys = people.Select(p => p.Key).ToHashSet();
            var byId = _subjects.ToDictionary(x => x.Id);
            // Cards found by their last four characters (a street's tens of thousands, not scanned once per newcomer).
            var byLastFour = cards.Values.ToLookup(c => c.LastFour, StringComparer.Ordinal);
            var candidates = people
                .Where(p => p.IdCard is { Length: >= 4 } && !byKey.ContainsKey(p.Key))
                .SelectMany(p => byLastFour[p.IdCard![^4..]].Select(c => (Person: p, Card: c)))
                .Where(x => byId.TryGetValue(x.Card.SubjectId, out var y) && y.Kind == x.Person.Kind && !keys.Contains(KeyOf(y))
                            && (actor is null || Rosters.CanManage(actor, street.Id, y.CommunityId)))
                .ToList();
            if (candidates.Count == 0) return [];
            var matched = new System.Collections.Concurrent.ConcurrentBag<(string Key, string SubjectId)>();
            Parallel.ForEach(candidates, c => { if (IdentityCards.Matches(c.Card, c.Person.IdCard!)) matched.Add((c.Person.Key, c.Card.SubjectId)); });
            // One person to one record both ways; anything else is left to the phone.
            return matched.GroupBy(m => m.Key).Where(g => g.Count() == 1).Select(g => g.Single())
                .GroupBy(m => m.SubjectId).Where(g => g.Count() == 1).Select(g => g.Single())
                .ToDictionary(m => m.Key, m => byId[m.SubjectId]);
        }

        /// <summary>
        /// A new person beside someone of the same kind, community and name whom the file takes off: most likely one
        /// person with a new phone, who would lose their records and chat account. Said, not guessed (see <see cref="Renumbered"/>).
        /// </summary>
        private void SameNameLeaving(List<Person> newcomers, List<Subject> leaving)
        {
            foreach (var p in newcomers)
            {
                var same = leaving.Where(x => x.Kind == p.Kind && x.CommunityId == p.Community && x.Name == p.Name).ToList();
                if (same.Count == 0) continue;
                var phones = string.Join("、", same.Select(x => x.Phone is null ? "无电话" : Masking.Phone(x.Phone)));
                // Named by id with the request that changes the phone: the office has no other way to reach the record
                // before the import, and without it the import enters a duplicate.
                var change = string.Join("、", same.Select(x => $"PUT /api/subjects/{x.Id} {{\"phone\":\"新号码\"}}"));
                var changeEn = string.Join(", ", same.Select(x => $"PUT /api/subjects/{x.Id} {{\"phone\":\"<new>\"}}"));
                _plan.Notices.Add(new RosterProblem(p.Row, C.Phone,
                    $"{p.Name}的电话是新号码，而本社区同名的{p.Kind.NameZh()}（{phones}）不在文件中，将被停用：如果是同一人换了号码，请先修改其电话（{change}）再导入（已登记身份证号的，也可在“身份证号”列填写），" +
                    $"否则将登记为新人员，原有积分记录和聊天绑定不会转过来 / {p.Name} has a new phone while the {p.Kind.ToWire()} of that name ({phones}) leaves the roster: " +
                    $"if it is the same person, change their phone first ({changeEn}) or give the identity card on record; else they start anew, without the old records or chat account.",
                    "same-name-leaving"));
            }
        }

        /// <summary>
        /// A new record under the phone and name of someone of the other kind whom the file takes off: most likely a
        /// mistyped 类型 (a landlord entered as 铺长, or the reverse) with the right row left out. The phone is free for the
        /// other kind, so nothing refuses it, and the person would lose their records and chat account to a new one. Said.
        /// </summary>
        private void OtherKindLeaving(List<Person> newcomers, List<Subject> leaving)
        {
            foreach (var p in newcomers)
            {
                if (p.Phone is null) continue;
                var other = leaving.FirstOrDefault(x => x.Kind != p.Kind && x.Phone == p.Phone && x.Name == p.Name);
                if (other is null) continue;
                _plan.Notices.Add(new RosterProblem(p.Row, C.Type,
                    $"{p.Name}在文件中是{p.Kind.NameZh()}，而登记为{other.Kind.NameZh()}的{other.Name}（同一电话）不在文件中，将被停用：如果是类型填错了，请把类型改为{other.Kind.NameZh()}再导入；" +
                    $"如果此人两者都是，请把{other.Kind.NameZh()}那几行也留在文件中。否则将登记为新的{p.Kind.NameZh()}，原{other.Kind.NameZh()}的积分记录、" +
                    $"{(other.Kind == SubjectKind.Landlord ? "租客" : "店铺")}和聊天绑定将随之停用 / {p.Name} is a {p.Kind.ToWire()} in the file while the {other.Kind.ToWire()} {other.Name} " +
                    $"with the same phone leaves the roster: if the type is mistyped, make it {other.Kind.ToWire()}; if the person is both, keep the {other.Kind.ToWire()}'s rows in the file. " +
                    $"Else a new {p.Kind.ToWire()} is entered and the {other.Kind.ToWire()}'s records, {(other.Kind == SubjectKind.Landlord ? "tenants" : "shops")} and chat account leave with them.",
                    "kind-leaving"));
            }
        }

        private static string Put(Subject x, string body) => $"PUT /api/subjects/{x.Id} {body}";

        /// <summary>A row whose identity card is not the one on record for its phone's holder.</summary>
        private static string CardMismatch(Subject holder, string lastFour)
        {
            var (offZh, offEn) = holder.Active ? ("", "") : ("，已停用", ", off the roster");
            var (freeZh, freeEn) = holder.Active ? ("", "") : ($"，或先释放原记录的电话（{Put(holder, "{\"phone\":\"\"}")}）", $", or free it from the old record first ({Put(holder, "{\"phone\":\"\"}")})");
            return $"该电话登记给{holder.Name}（{holder.Id}{offZh}），登记的身份证号尾号为{lastFour}，与此行不同：人员按电话识别，一个电话只能登记一人。如此行是另一人，请填写其本人的电话{freeZh}；" +
                $"如原记录的身份证号录错了，请先改正（{Put(holder, "{\"idCard\":\"…\"}")}）再导入 / This phone is {holder.Name}'s ({holder.Id}{offEn}), whose identity card on record ends in {lastFour}, not this row's: " +
                $"people are found by phone, one person to a phone. If this is someone else, give their own phone{freeEn}; if the card on record is wrong, correct it first ({Put(holder, "{\"idCard\":\"…\"}")}).";
        }

        /// <summary>A row of another name on the phone of someone off the roster, nothing proving it is them.</summary>
        private static string OffRosterHolder(Subject holder, bool hasCard)
        {
            var free = Put(holder, "{\"phone\":\"\"}");
            var rename = Put(holder, "{\"name\":\"…\"}");
            var (cardZh, cardEn) = hasCard ? ("，或在“身份证号”列填写其登记的身份证号", " or give the identity card on record") : ("", "");
            return $"该电话登记给已停用的{holder.Name}（{holder.Id}），与此行姓名不同：如是此人改了姓名，请先修改其姓名（{rename}）{cardZh}再导入；" +
                $"如是新人员用了其原号码，请先释放原记录的电话（{free}，原记录的积分和聊天绑定仍归原人员）再导入，将登记为新人员 / " +
                $"This phone is {holder.Name}'s ({holder.Id}), off the roster, under another name: if it is them renamed, rename them first ({rename}){cardEn}; " +
                $"if it is someone new on their old number, free it from the old record first ({free}; its points and chat account stay the old person's), and they are entered anew.";
        }

        /// <summary>A person found by phone or identity card under a new name: taken for the same person renamed, and said.</summary>
        private void SubjectRenamed(Person person, Subject was, bool byCard)
        {
            var (holdingsZh, holdingsEn) = person.Kind == SubjectKind.Landlord ? ("租客", "tenants") : ("店铺", "shops");
            var (howZh, howEn) = byCard ? ("登记的身份证号", "the identity card on record") : ("同一电话", "same phone");
            _plan.Notices.Add(new RosterProblem(person.Row, C.Name,
                $"{was.Name} → {person.Name}（{was.Id}，{howZh}）：视为同一人改名，原记录的积分、{holdingsZh}和聊天绑定保留；如是另一人，请填写其本人的电话 / " +
                $"{was.Name} → {person.Name} ({was.Id}, {howEn}): taken for the same person renamed, keeping the record's points, {holdingsEn} and chat account; if it is someone else, give their own phone.",
                "subject-renamed"));
        }

        private void Protect(string subjectId, string number) => _plan.Cards.Add((subjectId, number));

        private void PlanTenants(Subject landlord, Person person, List<Tenant> current)
        {
            var kept = new HashSet<string>();
            var renamed = Renamed(person, current);
            foreach (var holding in person.Holdings)
            {
                var (row, name, room, phone) = holding;
                var match = current.FirstOrDefault(t => t.Active && t.Name == name && !kept.Contains(t.Id))
                    ?? current.FirstOrDefault(t => !t.Active && Reusable(t, holding) && !kept.Contains(t.Id));
                // A room already kept so (before such rooms were refused) exports and imports as it is.
                if (room is not null && LooksLikeADate(room) && match?.Room != room)
                {
                    _plan.Problem(row, C.Room, "room-date", $"房间“{RosterText.Clip(room)}”被Excel当成了日期（如把1-3存成1月3日）：请把房间列设置为“文本”格式，重新输入房间号 / Excel turned the room into a date: format the column as text and type it again.");
                    continue;
                }
                if (match is null && renamed.GetValueOrDefault(row) is { } old)
                {
                    // The spelling corrected in the file: the same tenant, with their id (returns, expected day back, origin).
                    kept.Add(old.Id);
                    _plan.Updated++;
                    var fixedName = old with { Name = name, Room = room, Phone = phone };
                    _plan.Writes.Add(x => x.UpdateTenantAsync(fixedName));
                    _plan.Notices.Add(new RosterProblem(row, C.Holding,
                        $"{old.Name} → {name}（{person.Name}名下，{(room is not null && room == old.Room ? $"房间{room}" : "同一联系电话")}）：视为改正姓名，保留原租客及其返回记录；如确是新租客，请先把原租客停用（POST /api/tenants/{old.Id}/deactivate）再导入 / " +
                        $"{old.Name} → {name} ({person.Name}'s, {(room is not null && room == old.Room ? $"room {room}" : "same phone")}): taken for a corrected name, the tenant and their returns kept; if it is a new tenant, deactivate the old one first.",
                        "tenant-renamed"));
                    continue;
                }
                if (match is null)
                {
                    var t = new Tenant { Id = Ids.New(12), SubjectId = landlord.Id, Name = name, Room = room, Phone = phone, ListedAt = now };
                    _plan.Created++;
                    _plan.Writes.Add(x => x.InsertTenantAsync(t));
                    continue;
                }
                kept.Add(match.Id);
                if (!match.Active) TenantBack(person, match, holding);
                var updated = match.PutBack(now) with { Room = room, Phone = phone };
                if (updated == match) { _plan.Unchanged++; continue; }
                _plan.Updated++;
                _plan.Writes.Add(x => x.UpdateTenantAsync(updated));
            }
            foreach (var t in current.Where(t => t.Active && !kept.Contains(t.Id)))
            {
                _plan.Deactivated++;
                var gone = t.TakenOff(now);
                _plan.Writes.Add(x => x.UpdateTenantAsync(gone));
            }
        }

        /// <summary>
        /// Rows of names new to the landlord that correct a tenant's spelling (王小明 → 王晓明): the one tenant the file no
        /// longer names in the same room, or with the same phone, and no other new name there. Two new names for one room
        /// left, or a phone that differs, stay a new tenant and one leaving, as before.
        /// </summary>
        private static Dictionary<int, Tenant> Renamed(Person person, List<Tenant> current)
        {
            var names = person.Holdings.Select(h => h.Name).ToHashSet();
            var fresh = person.Holdings.Where(h => !current.Any(t => t.Name == h.Name && (t.Active || Reusable(t, h)))).ToList();
            var leaving = current.Where(t => t.Active && !names.Contains(t.Name)).ToList();
            var found = new Dictionary<int, Tenant>();
            foreach (var h in fresh)
                if (leaving.Where(t => Same(t, h)).ToList() is [var old] && fresh.Count(o => Same(old, o)) == 1)
                    found[h.Row] = old;
            return found;
        }

        /// <summary>A row in the room, or with the phone, of a tenant, and no other phone: the same tenant as far as the file tells.</summary>
        private static bool Same(Tenant t, (int Row, string Name, string? Room, string? Phone) h) =>
            (h.Room is not null && h.Room == t.Room || h.Phone is not null && h.Phone == t.Phone)
            && (h.Phone is null || t.Phone is null || h.Phone == t.Phone);

        /// <summary>
        /// Whether a tenant off the list is the one a row of their name puts back: in their room or with their phone. A name
        /// alone is no proof (another 王小明 moving in would take the old one's origin, expected day back and returns, where the
        /// API enters him anew), unless names are all the roster and the record know of them.
        /// </summary>
        private static bool Reusable(Tenant t, (int Row, string Name, string? Room, string? Phone) h) =>
            t.Name == h.Name && (Same(t, h) || h.Room is null && h.Phone is null && t.Room is null && t.Phone is null);

        /// <summary>A tenant off the list put back by a row of their name: said, with what they bring back.</summary>
        private void TenantBack(Person person, Tenant t, (int Row, string Name, string? Room, string? Phone) h)
        {
            var (byZh, byEn) = h.Room is not null && h.Room == t.Room ? ($"房间{h.Room}", $"room {h.Room}")
                : h.Phone is not null && h.Phone == t.Phone ? ("同一联系电话", "same phone") : ("仅凭姓名", "by name only");
            var (dayZh, dayEn) = t.ExpectedReturn is null ? ("", "") : ("、预计返回日期", ", expected day back");
            _plan.Notices.Add(new RosterProblem(h.Row, C.Holding,
                $"{t.Name}（{person.Name}名下，{byZh}）曾不在名单上，将恢复为原租客，保留其来源地{dayZh}和返回记录；如是另一位同名租客，请在姓名后加以区分（如“{t.Name}（2）”） / " +
                $"{t.Name} ({person.Name}'s, {byEn}) was off the list and is put back as that tenant, with their origin{dayEn} and returns; if this is another tenant of that name, tell them apart by name (e.g. '{t.Name}（2）').",
                "tenant-back"));
        }

        private void PlanShops(Subject head, Person person, List<Shop> current)
        {
            var kept = new HashSet<string>();
            foreach (var (_, name, _, _) in person.Holdings)
            {
                var match = current.FirstOrDefault(t => t.Active && t.Name == name && !kept.Contains(t.Id))
                    ?? current.FirstOrDefault(t => t.Name == name && !kept.Contains(t.Id));
                if (match is null)
                {
                    var shop = new Shop { Id = Ids.New(12), SubjectId = head.Id, Name = name };
                    _plan.Created++;
                    _plan.Writes.Add(x => x.InsertShopAsync(shop));
                    continue;
                }
                kept.Add(match.Id);
                if (match.Active) { _plan.Unchanged++; continue; }
                _plan.Updated++;
                var reopened = match with { Active = true };
                _plan.Writes.Add(x => x.UpdateShopAsync(reopened));
            }
            // Shops leave first, so the limit holds at every step of the writes.
            foreach (var t in current.Where(t => t.Active && !kept.Contains(t.Id)))
            {
                _plan.Deactivated++;
                var gone = t with { Active = false };
                _plan.Writes.Insert(0, x => x.UpdateShopAsync(gone));
            }
        }
    }
}
