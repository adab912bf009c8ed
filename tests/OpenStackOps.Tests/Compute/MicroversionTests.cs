using OpenStackOps.Compute;
using Xunit;

namespace OpenStackOps.Tests.Compute
{
    public class MicroversionTests
    {
        [Fact]
        public void ComparesNumericallyNotAsText()
        {
            Assert.True(Microversion.Parse("2.9") < Microversion.Parse("2.10"));
            Assert.True(Microversion.Parse("2.53") > Microversion.Parse("2.6"));
            Assert.Equal("2.87", Microversion.Min(Microversion.Parse("2.93"), Microversion.Parse("2.87")).ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("2")]
        [InlineData("2.x")]
        [InlineData("latest")]
        [InlineData("2.1.3")]
        public void RejectsWhatIsNotAVersion(string text) => Assert.False(Microversion.TryParse(text, out _));
    }
}
