export default function AdminRoutes() {
  return <div className="page">admin</div>;
}
