// Draws one Plotly figure (its JSON, from plotly.py) with plotly.js's "finance" partial
// bundle, which Streamlit's static file serving hands out from the app's static/ folder.
// The bundle is loaded once per page, the first time a chart is drawn.
const BUNDLE = "app/static/plotly-finance.min.js";
let loading;

function plotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL(BUNDLE, document.baseURI).href;
      const fail = () => {
        loading = undefined;
        reject(new Error(`${BUNDLE} not served`));
      };
      // a server without static file serving may answer with a page that is no script
      script.onload = () => (window.Plotly ? resolve(window.Plotly) : fail());
      script.onerror = fail;
      document.head.appendChild(script);
    });
  }
  return loading;
}

export default function draw(component) {
  const { data, parentElement } = component;
  let chart = parentElement.querySelector("div.roi-chart");
  if (!chart) {
    chart = document.createElement("div");
    chart.className = "roi-chart";
    parentElement.appendChild(chart);
  }
  const figure = data;
  // text in the page's own colour, so that the chart follows a light or dark theme
  const font = { color: getComputedStyle(parentElement).color, ...figure.layout.font };
  plotly().then(
    (Plotly) =>
      Plotly.react(chart, figure.data, { ...figure.layout, font }, {
        responsive: true,
        displaylogo: false,
      }),
    () => {
      chart.textContent =
        "The chart cannot be drawn: the server does not serve static files " +
        "(server.enableStaticServing = true; see docs/deployment.md).";
    },
  );
}
