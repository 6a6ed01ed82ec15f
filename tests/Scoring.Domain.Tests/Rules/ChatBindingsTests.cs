using Scoring.Domain.Rules;

namespace Scoring.Domain.Tests;

/// <summary>The chat's commands and the rules they report under: one table, which the menu, help, the commands and a PUT's warnings all read.</summary>
public sealed class ChatBindingsTests
{
    [Fact]
    public void Every_binding_works_under_the_default_rules()
    {
        Assert.All(ChatBindings.All, b => Assert.True(b.WorksUnder(DefaultRules.All), b.Code));
    }

    [Fact]
    public void Each_binding_s_index_is_its_place_among_all_and_fits_a_bit_of_an_int() =>
        Assert.Equal(Enumerable.Range(0, ChatBindings.All.Count), ChatBindings.All.Select(b => b.Index).Where(i => i < 31));

    [Fact]
    public void A_command_is_bound_to_exactly_one_rule_for_each_kind_of_person()
    {
        Assert.Equal(ChatBindings.All.Count, ChatBindings.All.DistinctBy(b => (b.CommandZh, b.Kind)).Count());
        Assert.Equal(ChatBindings.All.Count, ChatBindings.All.DistinctBy(b => (b.CommandEn, b.Kind)).Count());
        Assert.Equal(ChatBindings.All.Count, ChatBindings.All.DistinctBy(b => b.Code).Count());
    }

    [Fact]
    public void The_bindings_a_version_loses_are_those_whose_rule_it_drops_or_takes_from_the_people()
    {
        var withoutMediation = DefaultRules.All.Where(r => r.Code != DefaultRules.ShopMediation).ToList();
        var reopenBySecretaries = DefaultRules.All.Select(r => r.Code == DefaultRules.ShopReopenHelped ? r with { ReportedBy = [ReporterRole.Secretary] } : r).ToList();

        Assert.Equal([ChatBindings.ShopMediation], ChatBindings.Lost(DefaultRules.All, withoutMediation));
        Assert.Equal([ChatBindings.Reopen], ChatBindings.Lost(DefaultRules.All, reopenBySecretaries));
    }
}
