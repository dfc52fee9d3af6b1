export default function MobileRoutes() {
  return <div>mobile</div>;
}
