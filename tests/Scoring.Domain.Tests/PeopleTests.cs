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
        Assert.True(Officer.CanManageStaff(Staff("officer-2", StaffRole.Officer)));
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
}
