// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Dashboard() {
  useTitle('Dashboard');
  return <h1>Dashboard</h1>;
}
