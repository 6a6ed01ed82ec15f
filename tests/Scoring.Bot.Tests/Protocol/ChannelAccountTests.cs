using System.Text.Json;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Protocol;

public sealed class ChannelAccountTests
{
    private static ChannelAccount Account() => new() { Id = "user-1", Name = "王房东", AadObjectId = "aad-1", Role = "user" };

    [Fact]
    public void Equal_accounts_are_stored_alike()
    {
        Assert.True(Account().StoredAlike(Account()));
    }

    [Fact]
    public void Accounts_that_differ_in_any_field_are_not_stored_alike()
    {
        // Reflection, so that a field added to ChannelAccount and forgotten in StoredAlike fails here.
        var fields = typeof(ChannelAccount).GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite).ToList();
        Assert.NotEmpty(fields);
        foreach (var field in fields)
        {
            var changed = Account();
            field.SetValue(changed, "changed");
            Assert.False(Account().StoredAlike(changed), $"{field.Name} is not compared");
            Assert.False(changed.StoredAlike(Account()), $"{field.Name} is not compared");
        }
    }

    [Fact]
    public void An_extra_property_is_compared_too()
    {
        ChannelAccount Extended(string region)
        {
            var extended = Account();
            extended.Extra = new() { ["tenantRegion"] = JsonDocument.Parse($"\"{region}\"").RootElement };
            return extended;
        }

        Assert.False(Account().StoredAlike(Extended("cn")));
        Assert.False(Extended("cn").StoredAlike(Account()));
        Assert.False(Extended("cn").StoredAlike(Extended("hk")));
        Assert.True(Extended("cn").StoredAlike(Extended("cn")));
    }
}
