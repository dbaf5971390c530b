/** A prompt's performance: impressions, clicks, dismissals, conversions and rates per variant, over the last 30 days. */
import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import type { Prompt, VariantStats } from '../prompts/types';
import '../manage/manage.css';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export default function PromptStats() {
  const { id } = useParams();
  const prompt = useApi<Prompt>(`/prompts/${id}`);
  const stats = useApi<{ from: string; to: string; variants: VariantStats[] }>(`/prompts/${id}/stats`);
  useTitle(prompt.data ? `Performance of ${prompt.data.name}` : 'Prompt performance');
  return (
    <div className="manage">
      <h1>{prompt.data ? `Performance of ${prompt.data.name}` : 'Prompt performance'}</h1>
      <p>
        <Link to="/prompts">All prompts</Link>
        {prompt.data ? (
          <>
            {' · '}
            <Link to={`/prompts/${id}`}>Edit the prompt</Link>
          </>
        ) : null}
      </p>
      {prompt.error ? <ErrorMessage error={prompt.error} /> : null}
      {stats.error ? <ErrorMessage error={stats.error} /> : null}
      {stats.loading && !stats.data ? <Loading what="Loading the numbers" /> : null}
      {stats.data ? (
        <div className="table-wrap">
          <table className="data">
            <caption>
              Per variant, {stats.data.from} to {stats.data.to} (counted in aggregate; nothing about readers is kept)
            </caption>
            <thead>
              <tr>
                <th scope="col">Variant</th>
                <th scope="col" className="num">Impressions</th>
                <th scope="col" className="num">Clicks</th>
                <th scope="col" className="num">Dismissals</th>
                <th scope="col" className="num">Conversions</th>
                <th scope="col" className="num">Click rate</th>
                <th scope="col" className="num">Conversion rate</th>
              </tr>
            </thead>
            <tbody>
              {stats.data.variants.map((v) => (
                <tr key={v.variant}>
                  <th scope="row">{v.variant}</th>
                  <td className="num">{v.impressions}</td>
                  <td className="num">{v.clicks}</td>
                  <td className="num">{v.dismissals}</td>
                  <td className="num">{v.conversions}</td>
                  <td className="num">{percent(v.clickRate)}</td>
                  <td className="num">{percent(v.conversionRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
