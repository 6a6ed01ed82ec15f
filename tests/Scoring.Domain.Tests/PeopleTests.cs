namespace Scoring.Domain.Tests;

public class PeopleTests
{
    private static StaffMember Staff(string id, StaffRole role, string street = "houzhai", string? community = null) =>
        new() { Id = id, StreetId = street, CommunityId = community, Role = role, Name = id };

    private static readonly StaffMember Officer = Staff("officer-1", StaffRole.Officer);
    private static readonly StaffMember Admin = Staff("admin-1", StaffRole.Admin);

    [Fact]
    public void An_officer_manages_the_staff_of_their_street_but_not_its_admins_nor_another_street_s_staff()
    {
        Assert.True(Officer.CanManageStaff(Staff("officer-2", StaffRole.Officer))); // to revoke their tokens, not to issue them
        Assert.True(Officer.CanManageStaff(Staff("secretary-1", StaffRole.Secretary, community: "fangtang")));
        Assert.True(Officer.CanManageStaff(Staff("gridworker-1", StaffRole.GridWorker, community: "fangtang")));
        // An admin's row names a street too; that does not make them the street's officers' to handle.
        Assert.False(Officer.CanManageStaff(Staff("admin-2", StaffRole.Admin)));
        Assert.False(Officer.CanManageStaff(Staff("officer-3", StaffRole.Officer, street: "elsewhere")));
    }

    [Fact]
    public void An_admin_manages_anyone_admins_included_and_community_staff_manage_nobody()
    {
        Assert.True(Admin.CanManageStaff(Staff("admin-2", StaffRole.Admin, street: "elsewhere")));
        Assert.True(Admin.CanManageStaff(Officer));
        var secretary = Staff("secretary-1", StaffRole.Secretary, community: "fangtang");
        Assert.False(secretary.CanManageStaff(Staff("gridworker-1", StaffRole.GridWorker, community: "fangtang")));
        Assert.False(secretary.CanManageStaff(Admin));
    }

    [Theory]
    [InlineData("officer-1", "officer-2", false)] // a fellow officer: an admin's or the console's to issue for
    [InlineData("officer-1", "admin-2", false)]
    [InlineData("officer-1", "secretary-1", true)]
    [InlineData("officer-1", "gridworker-1", true)]
    [InlineData("officer-1", "secretary-elsewhere", false)]
    [InlineData("officer-1", "officer-1", true)] // themself
    [InlineData("secretary-1", "gridworker-1", true)]
    [InlineData("secretary-1", "gridworker-changchun", false)]
    [InlineData("secretary-1", "secretary-2", false)]
    [InlineData("secretary-1", "officer-1", false)]
    [InlineData("gridworker-1", "gridworker-2", false)]
    [InlineData("admin-1", "officer-elsewhere", true)]
    [InlineData("admin-1", "admin-2", true)]
    public void Credentials_for_someone_else_are_issued_only_for_a_lower_role_in_the_issuers_scope_or_by_an_admin(string issuer, string holder, bool allowed)
    {
        var people = new[]
        {
            Officer, Admin, Staff("officer-2", StaffRole.Officer), Staff("admin-2", StaffRole.Admin),
            Staff("officer-elsewhere", StaffRole.Officer, street: "elsewhere"), Staff("secretary-elsewhere", StaffRole.Secretary, street: "elsewhere", community: "x"),
            Staff("secretary-1", StaffRole.Secretary, community: "fangtang"), Staff("secretary-2", StaffRole.Secretary, community: "fangtang"),
            Staff("gridworker-1", StaffRole.GridWorker, community: "fangtang"), Staff("gridworker-2", StaffRole.GridWorker, community: "fangtang"),
            Staff("gridworker-changchun", StaffRole.GridWorker, community: "changchun"),
        }.ToDictionary(x => x.Id);
        Assert.Equal(allowed, people[issuer].CanIssueCredentialsFor(people[holder]));
    }

    [Theory]
    [InlineData(StaffRole.Officer, StaffRole.Admin, false)]
    [InlineData(StaffRole.Officer, StaffRole.Officer, true)]
    [InlineData(StaffRole.Officer, StaffRole.Secretary, true)]
    [InlineData(StaffRole.Admin, StaffRole.Admin, true)]
    [InlineData(StaffRole.Secretary, StaffRole.Admin, false)]
    public void Only_an_admin_grants_the_admin_role(StaffRole actor, StaffRole granted, bool allowed) =>
        Assert.Equal(allowed, Staff("someone", actor, community: actor == StaffRole.Secretary ? "fangtang" : null).CanGrant(granted));

    [Fact]
    public void A_grid_worker_given_grids_reports_on_those_grids_only_and_one_without_on_the_whole_community()
    {
        Subject Landlord(string? grid, string community = "fangtang") =>
            new() { Id = "x", StreetId = "houzhai", CommunityId = community, GridId = grid, Kind = SubjectKind.Landlord, Name = "x" };
        var gridded = Staff("gridworker-1", StaffRole.GridWorker, community: "fangtang") with { GridIds = ["fangtang-1"] };
        var whole = Staff("gridworker-2", StaffRole.GridWorker, community: "fangtang");

        Assert.True(gridded.Covers(Landlord("fangtang-1")));
        Assert.False(gridded.Covers(Landlord("fangtang-2")));
        Assert.False(gridded.Covers(Landlord(null))); // not placed in any grid: the community's other workers and secretary
        Assert.True(whole.Covers(Landlord("fangtang-2")));
        Assert.True(whole.Covers(Landlord(null)));
        Assert.False(whole.Covers(Landlord("changchun-1", community: "changchun")));
        Assert.True(Staff("secretary-1", StaffRole.Secretary, community: "fangtang").Covers(Landlord("fangtang-2")));
    }

    private static readonly DateTimeOffset Listed = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));

    private static Tenant ListedTenant() => new() { Id = "t1", SubjectId = "landlord-1", Name = "王小明", ListedAt = Listed };

    [Fact]
    public void A_tenant_put_back_on_the_list_is_listed_from_then_and_keeps_when_they_were_taken_off()
    {
        var off = ListedTenant().TakenOff(Now.AddDays(-3));

        var back = off.PutBack(Now);

        Assert.True(back.Active);
        Assert.Equal(Now, back.ListedAt);
        Assert.Equal(Now.AddDays(-3), back.UnlistedAt);
    }

    [Fact]
    public void A_tenant_on_the_list_put_back_again_keeps_when_they_were_listed()
    {
        // An import naming a tenant already listed, or a change that sends active: true for one on the list, lists nobody anew.
        var on = ListedTenant();

        Assert.Equal(on, on.PutBack(Now));
    }
}
