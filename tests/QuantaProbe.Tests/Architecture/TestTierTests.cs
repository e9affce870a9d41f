using System.Reflection;

namespace QuantaProbe.Tests.Architecture;

/// <summary>Every test says its tier, so `./test.sh --fast` (tier=fast) can never silently drop or add a slow test.</summary>
[Trait("tier", "fast")]
public class TestTierTests
{
    [Fact]
    public void Every_test_class_has_a_tier_trait_and_browser_or_namespace_tests_are_not_fast()
    {
        var problems = new List<string>();
        foreach (var type in typeof(TestTierTests).Assembly.GetTypes().Where(t => t.GetMethods().Any(IsTest)))
        {
            var tiers = Traits(type, "tier");
            if (tiers.Count != 1 || tiers[0] is not ("fast" or "slow"))
                problems.Add($"{type.FullName}: needs exactly one [Trait(\"tier\", \"fast\"|\"slow\")], has [{string.Join(", ", tiers)}]");
            bool needsSomething = Traits(type, "needs").Count > 0 || type.GetMethods().Where(IsTest).Any(m => Traits(m, "needs").Count > 0);
            if (needsSomething && tiers.Contains("fast"))
                problems.Add($"{type.FullName}: a test that needs a browser or a namespace cannot be tier fast");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static bool IsTest(MethodInfo m) => m.GetCustomAttributes<FactAttribute>(inherit: true).Any();

    private static List<string> Traits(MemberInfo member, string name) =>
        member.CustomAttributes.Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == name)
            .Select(a => (string)a.ConstructorArguments[1].Value!).ToList();
}
