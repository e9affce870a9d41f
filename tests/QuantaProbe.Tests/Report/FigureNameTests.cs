using QuantaProbe.Report.Sections;

namespace QuantaProbe.Tests.Report;

[Trait("tier", "fast")]
public class FigureNameTests
{
    [Fact]
    public void Model_names_that_differ_only_in_unsafe_characters_get_distinct_figure_names()
    {
        Assert.Equal("pythia-70m_step.1", QuantaSection.Slug("pythia-70m_step.1"));
        Assert.NotEqual(QuantaSection.Slug("a b"), QuantaSection.Slug("a_b"));
        Assert.NotEqual(QuantaSection.Slug("a b"), QuantaSection.Slug("a/b"));
        Assert.StartsWith("a_b-", QuantaSection.Slug("a b"));
        Assert.DoesNotContain('/', QuantaSection.Slug("../x"));
    }
}
