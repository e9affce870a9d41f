using QuantaProbe.Report.Figures;

namespace QuantaProbe.Tests.Report;

[Trait("tier", "fast")]
public class FigureNameTests
{
    [Fact]
    public void Model_names_that_differ_only_in_unsafe_characters_get_distinct_figure_names()
    {
        Assert.Equal("pythia-70m_step.1", FigureSet.Slug("pythia-70m_step.1"));
        Assert.NotEqual(FigureSet.Slug("a b"), FigureSet.Slug("a_b"));
        Assert.NotEqual(FigureSet.Slug("a b"), FigureSet.Slug("a/b"));
        Assert.StartsWith("a_b-", FigureSet.Slug("a b"));
        Assert.DoesNotContain('/', FigureSet.Slug("../x"));
    }
}
