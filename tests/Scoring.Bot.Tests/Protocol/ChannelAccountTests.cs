using System.Text.Json;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Protocol;

public sealed class ChannelAccountTests
{
    private static ChannelAccount Account() => new() { Id = "user-1", Name = "王房东", AadObjectId = "aad-1", Role = "user" };

    [Fact]
    public void Equal_accounts_have_the_same_fingerprint()
    {
        Assert.Equal(Account().Fingerprint(), Account().Fingerprint());
    }

    [Fact]
    public void Every_field_of_an_account_is_part_of_its_fingerprint()
    {
        // Reflection, so that a field added to ChannelAccount and forgotten in Fingerprint fails here.
        var fields = typeof(ChannelAccount).GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite).ToList();
        Assert.NotEmpty(fields);
        foreach (var field in fields)
        {
            var changed = Account();
            field.SetValue(changed, "changed");
            Assert.True(Account().Fingerprint() != changed.Fingerprint(), $"{field.Name} is not part of the fingerprint");
        }
    }

    [Fact]
    public void An_extra_property_changes_the_fingerprint()
    {
        var extended = Account();
        extended.Extra = new() { ["tenantRegion"] = JsonDocument.Parse("\"cn\"").RootElement };

        Assert.NotEqual(Account().Fingerprint(), extended.Fingerprint());
    }
}
